"""What an archive holds (docs/archive.md): every model with a council, in an order that lets each be written after
what it points to, without secrets, and every model left out named in the documentation with its reason."""

from pathlib import Path

from django.db import models

from opencomplaints.interchange.archive_parts import EXCLUDED, EXCLUDED_APPS, archive_parts, model_label

DOCS = Path(__file__).resolve().parents[3] / "docs" / "archive.md"


def test_every_part_comes_after_what_its_keys_point_to_unless_the_key_is_filled_in_later():
    seen: set[str] = set()
    for part in archive_parts():
        for field in part.fields:
            if isinstance(field, models.ForeignKey) and field.name not in part.deferred:
                assert model_label(field.related_model) in seen, (part.label, field.name)
        for name in part.deferred:
            assert part.model._meta.get_field(name).null, (part.label, name)
        seen.add(part.label)


def test_the_cases_and_their_details_are_in_and_secrets_and_the_audit_trail_are_not():
    parts = {part.label: part for part in archive_parts()}
    for label in (
        "councils.council", "councils.team", "cases.case", "cases.stage", "cases.pointfinding", "cases.remedy",
        "cases.learningaction", "cases.ombudsmandetail", "casework.document", "notifications.message",
        "correspondence.letter", "reporting.savedtable", "handlingcode.selfassessment", "accounts.user",
    ):  # fmt: skip
        assert label in parts, label
    assert not set(parts) & set(EXCLUDED)
    assert not [label for label in parts if label.split(".")[0] in EXCLUDED_APPS]
    assert "password" not in {field.name for field in parts["accounts.user"].fields}
    assert parts["cases.stage"].scope == "case__council"
    assert parts["accounts.user"].scope is None


def test_every_model_left_out_is_in_the_documentation():
    text = DOCS.read_text()
    for label in EXCLUDED:
        assert f"`{label}`" in text, label

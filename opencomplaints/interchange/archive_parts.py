"""What a whole-history archive holds (docs/archive.md, docs/adr/0018-whole-history-archive.md): every model of
the project that belongs to a council, found from the models themselves, so a model added later is archived
without anyone remembering to list it.

A model belongs to a council when a chain of foreign keys leads from it to ``councils.Council`` (a stage through
its case, a finding through its point). Users and the installation's bank holiday changes have no council: they
go in as the archive's *global* parts, matched by a natural key on import. ``EXCLUDED`` names every model left
out on purpose, with the reason the documentation gives.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps
from django.db import models

__all__ = ["EXCLUDED", "GLOBAL_KEYS", "SECRET_FIELDS", "Part", "archive_parts", "model_label", "unarchived_models"]

# Models of the project deliberately not archived, and why (docs/archive.md lists them).
EXCLUDED: dict[str, str] = {
    "audit.auditevent": "the audit trail belongs to the installation that recorded it; keep a backup of it there",
    "audit.auditeventtext": "part of the audit trail",
    "api.apitoken": "API tokens are secrets: make new ones in the new installation",
    "portal.followtoken": "follow links are secrets: a complainant asks for a new one",
    "interchange.importrun": "the record of file imports run in this installation, with the files uploaded",
    "reporting.reportfile": "downloadable copies of reports, made again from the data on request",
    "jobs.scheduledrun": "when this installation last ran its scheduled jobs",
    "notifications.messagetemplate": "the installation's standard message words (each message keeps its own)",
    "councils.ethnicitycategory": "reference data every installation has from its migrations",
}
# Models without a council that an archive still carries, and the field that names a row across installations.
GLOBAL_KEYS: dict[str, str] = {"accounts.user": "username", "calendars.bankholidayoverride": "on_date"}
# Fields never written to an archive: passwords (the importing installation sets none; people reset them).
SECRET_FIELDS: dict[str, frozenset[str]] = {"accounts.user": frozenset({"password"})}
COUNCIL = "councils.council"


def model_label(model: type[models.Model]) -> str:
    return model._meta.label_lower


@dataclass(frozen=True)
class Part:
    """One model in an archive: ``scope`` is the lookup from it to its council's id (``None`` for a global part),
    ``fields`` the concrete fields written (the primary key and secrets left out), ``m2m`` the many-to-many fields
    without a model of their own, kept as lists on the row."""

    model: type[models.Model]
    label: str
    scope: str | None
    natural_key: str | None
    fields: tuple[models.Field, ...]  # type: ignore[type-arg]
    m2m: tuple[models.ManyToManyField, ...]  # type: ignore[type-arg]

    @property
    def entry(self) -> str:
        return f"data/{self.label}.jsonl"


def _project_models() -> list[type[models.Model]]:
    found = [
        model
        for model in apps.get_models()
        if model.__module__.startswith("opencomplaints.") and model_label(model) not in EXCLUDED
    ]
    return sorted(found, key=model_label)


def _forward_keys(model: type[models.Model]) -> list[models.ForeignKey]:  # type: ignore[type-arg]
    return [
        field
        for field in model._meta.concrete_fields
        if isinstance(field, models.ForeignKey) and field.related_model is not model
    ]


def _scopes(candidates: list[type[models.Model]]) -> dict[str, str]:
    """The shortest lookup from each model to its council's id, preferring required keys to optional ones."""
    scopes: dict[str, tuple[int, int, str]] = {COUNCIL: (0, 0, "pk")}
    changed = True
    while changed:
        changed = False
        for model in candidates:
            label = model_label(model)
            if label in GLOBAL_KEYS or label == COUNCIL:
                continue
            for field in _forward_keys(model):
                target = model_label(field.related_model)
                if target not in scopes:
                    continue
                optional, depth, lookup = scopes[target]
                path = field.name if lookup == "pk" else f"{field.name}__{lookup}"
                rank = (optional + int(field.null), depth + 1, path)
                if label not in scopes or rank < scopes[label]:
                    scopes[label] = rank
                    changed = True
    return {label: rank[2] for label, rank in scopes.items()}


def _in_dependency_order(parts: dict[str, Part]) -> list[Part]:
    """Every part after the parts its foreign keys point to (a key to its own model is filled in afterwards);
    ties broken by label, so the order never changes between runs."""
    needs = {
        label: {
            model_label(field.related_model)
            for field in part.fields
            if isinstance(field, models.ForeignKey)
            and field.related_model is not part.model
            and model_label(field.related_model) in parts
        }
        | {model_label(field.related_model) for field in part.m2m if model_label(field.related_model) in parts}
        for label, part in parts.items()
    }
    ordered: list[Part] = []
    done: set[str] = set()
    while len(ordered) < len(parts):
        ready = sorted(label for label in parts if label not in done and needs[label] <= done)
        if not ready:
            raise RuntimeError(f"The archive's models depend on each other in a cycle: {sorted(set(parts) - done)}")
        for label in ready:
            done.add(label)
            ordered.append(parts[label])
    return ordered


def archive_parts() -> list[Part]:
    """The models an archive holds, in the order they are written and read."""
    candidates = _project_models()
    scopes = _scopes(candidates)
    parts: dict[str, Part] = {}
    for model in candidates:
        label = model_label(model)
        if label not in scopes and label not in GLOBAL_KEYS:
            continue
        secret = SECRET_FIELDS.get(label, frozenset())
        fields = tuple(f for f in model._meta.concrete_fields if not f.primary_key and f.name not in secret)
        m2m = tuple(
            f
            for f in model._meta.many_to_many
            if isinstance(f, models.ManyToManyField) and f.remote_field.through._meta.auto_created  # type: ignore[union-attr]
        )
        parts[label] = Part(
            model=model,
            label=label,
            scope=scopes.get(label),
            natural_key=GLOBAL_KEYS.get(label),
            fields=fields,
            m2m=m2m,
        )
    return _in_dependency_order(parts)


def unarchived_models() -> list[str]:
    """The project's models an archive leaves out without their being named in ``EXCLUDED``: those with no way to
    a council that are not global parts (shown by the documentation test, so none goes unnoticed)."""
    archived = {part.label for part in archive_parts()}
    return [model_label(m) for m in _project_models() if model_label(m) not in archived]

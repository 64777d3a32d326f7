"""Acceptance: the Complaint Handling Code over the demonstration data (R3.5 to R3.8): the self-assessment's
measured figures are the corporate report's, the seeded stage 1 handler who handled stage 2 is not compliant, the
Ombudsman's letter reconciles to exactly its two differences, and the Code report's JSON ``performance`` is the
corporate report's JSON core for the same year; DOCX generation works."""

import io
import json
from datetime import date
from io import StringIO

import docx
import pytest
from django.core.management import call_command

from opencomplaints.cases.models import Stage
from opencomplaints.councils.models import Council
from opencomplaints.demo.handling_code import UNRECORDED_REFERENCE
from opencomplaints.handlingcode.models import OmbudsmanLetter, SelfAssessment

pytestmark = pytest.mark.django_db

END = date(2025, 3, 31)
YEAR = 2024
CORE_KEYS = (
    "schema",
    "period",
    "procedure",
    "stages",
    "escalation",
    "compensation",
    "ombudsman",
    "other_representations",
)


@pytest.fixture
def demo():
    call_command("demo-data", stdout=StringIO(), years=1, seed=1, end_date=END)
    return Council.objects.order_by("name").first()


def _report(*args):
    out = StringIO()
    call_command("report", "--year", str(YEAR), *args, stdout=out)
    return out.getvalue()


def test_the_code_report_over_the_demonstration_data(demo, tmp_path):
    code = json.loads(_report("--template", "code", "--format", "json"))
    corporate = json.loads(_report("--procedure", "corporate", "--format", "json"))

    # The JSON performance is exactly the corporate report's core for the same year.
    assert code["performance"] == {key: corporate[key] for key in CORE_KEYS if key in corporate}
    assert set(code["performance"]) == {key for key in CORE_KEYS if key in corporate}

    # The measured provisions' figures are the corporate core's.
    by_provision = {row["provision"]: row for row in code["self_assessment"]}
    stages = corporate["stages"]
    for provision, stage in (("6.2", "1"), ("6.11", "2")):
        measured = by_provision[provision]["measured"]
        for key, value in stages[stage]["acknowledgement"].items():
            assert measured[key] == value, (provision, key)
    for provision, stage in (("6.3", "1"), ("6.15", "2")):
        measured = by_provision[provision]["measured"]
        for key, value in stages[stage]["timeliness"].items():
            assert measured[key] == value, (provision, key)
        late = stages[stage]["timeliness"]["late"]
        assert len(measured["cases"]) == late
    assert by_provision["6.4"]["measured"]["extended"] == stages["1"]["extended"]
    assert by_provision["6.16"]["measured"]["extended"] == stages["2"]["extended"]
    assert all(
        row["verdict"] in {"compliant", "partly", "not_compliant", "not_applicable", None}
        for row in code["self_assessment"]
    )

    # The seeded complaint whose stage 2 was handled by its stage 1 handler is not compliant, with a link to it.
    handler = by_provision["6.13"]
    assert handler["verdict"] == "not_compliant"
    seeded = [
        s
        for s in Stage.objects.filter(
            case__council=demo, case__procedure="corporate", number=2, received_date__range=(date(YEAR, 4, 1), END)
        ).select_related("case")
        if s.investigating_officer_id is not None
        and s.case.stages.filter(number=1, investigating_officer_id=s.investigating_officer_id).exists()
    ]
    assert len(seeded) == 1
    assert handler["measured"]["cases"] == [seeded[0].reference or f"{seeded[0].case.reference}/2"]

    # The letter lists exactly one decision the council never recorded and one different outcome.
    differences = code["ombudsman_letter"]["differences"]
    assert sorted(d["kind"] for d in differences) == ["different_outcome", "not_recorded"]
    assert next(d for d in differences if d["kind"] == "not_recorded")["lgsco_reference"] == UNRECORDED_REFERENCE

    # The demonstration has a draft self-assessment for the year, and the letter.
    assert SelfAssessment.objects.get(council=demo, year=YEAR).status == SelfAssessment.Status.DRAFT
    assert OmbudsmanLetter.objects.filter(council=demo, year=YEAR).exists()

    # DOCX generation works, with the self-assessment in it.
    path = tmp_path / "code.docx"
    _report("--template", "code", "--format", "docx", "--out", str(path))
    document = docx.Document(io.BytesIO(path.read_bytes()))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Annual complaint performance and service improvement report" in text
    cells = {cell.text for table in document.tables for row in table.rows for cell in row.cells}
    assert "The person who handled stage 1 does not handle stage 2." in cells

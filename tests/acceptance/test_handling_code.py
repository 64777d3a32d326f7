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

    # And every other format, accessible and suppressed like the annual report (its renderers).
    for fmt in ("html", "pdf", "xlsx"):
        out = tmp_path / f"code.{fmt}"
        _report("--template", "code", "--format", fmt, "--out", str(out))
        assert out.stat().st_size > 1000
    html = (tmp_path / "code.html").read_text()
    assert '<html lang="en-GB"' in html or 'lang="en-GB"' in html
    assert "Self-assessment against the Code" in html
    assert "R3." not in html


def test_the_pages_over_the_demonstration_data(demo, client, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from opencomplaints.accounts.models import User
    from opencomplaints.audit.models import AuditEvent, AuditEventType

    settings.MEDIA_ROOT = tmp_path
    client.force_login(User.objects.get(username="manager"))
    query = f"?council={demo.slug}&year={YEAR}"
    page = client.get(reverse("handlingcode:self-assessment") + query)
    assert page.status_code == 200
    handler = next(row for row in page.context["rows"] if row["provision"].number == "6.13")
    assert handler["verdict"] == "not_compliant"
    assert handler["cases"]
    assert handler["cases"][0]["href"] in page.text

    # A provision the data cannot show, answered with an evidence document through the document checks.
    url = reverse("handlingcode:answer")
    form = {"council": demo.slug, "year": YEAR, "provision": "3.3", "verdict": "compliant", "commentary": "Published."}
    refused = client.post(url, {**form, "evidence": SimpleUploadedFile("policy.pdf", b"not a pdf")})
    assert refused.status_code == 400
    assert "The selected file must be a" in refused.text
    good = client.post(url, {**form, "evidence": SimpleUploadedFile("policy.txt", b"Our complaints policy.\n")})
    assert good.status_code == 302
    assessment = SelfAssessment.objects.get(council=demo, year=YEAR)
    answer = assessment.answers.get(provision="3.3")
    assert (answer.verdict, answer.evidence_name) == ("compliant", "policy.txt")
    evidence = client.get(reverse("handlingcode:evidence-download") + query + "&provision=3.3")
    assert evidence.content == b"Our complaints policy.\n"

    # Draft, reviewed, signed off, with history; then nothing changes, but a new one can be started.
    for _ in range(2):
        assert (
            client.post(
                reverse("handlingcode:self-assessment"), {"council": demo.slug, "year": YEAR, "action": "advance"}
            ).status_code
            == 302
        )
    assessment.refresh_from_db()
    assert assessment.status == SelfAssessment.Status.SIGNED_OFF
    assert client.post(url, form).status_code == 400
    statuses = AuditEvent.objects.filter(
        event_type=AuditEventType.SELF_ASSESSMENT_ADVANCED, subject_id=str(assessment.pk)
    )
    assert [e.after["status"] for e in statuses.order_by("id")] == ["reviewed", "signed_off"]
    client.post(
        reverse("handlingcode:self-assessment"),
        {"council": demo.slug, "year": YEAR, "action": "start", "reason": "Restructure"},
    )
    assert SelfAssessment.objects.filter(council=demo, year=YEAR).count() == 2

    # The letter page lists the two differences; a letter imported from CSV replaces it.
    letter_url = reverse("handlingcode:ombudsman-letter")
    page = client.get(letter_url + query)
    assert sorted(d.kind for d in page.context["summary"].differences) == ["different_outcome", "not_recorded"]
    csv = (
        b"decided,1\nupheld,0\n\n"
        b"lgsco_reference,decision,decision_date,complied_on_time\n24 000 777,not_upheld,2024-06-03,\n"
    )
    imported = client.post(letter_url, {"council": demo.slug, "year": YEAR, "letter": SimpleUploadedFile("l.csv", csv)})
    assert imported.status_code == 302
    page = client.get(letter_url + query)
    kinds = [d.kind for d in page.context["summary"].differences]
    assert kinds.count("not_recorded") == 1
    assert "different_outcome" not in kinds
    bad = client.post(
        letter_url, {"council": demo.slug, "year": YEAR, "letter": SimpleUploadedFile("l.csv", b"upheld,x\n")}
    )
    assert bad.status_code == 400
    assert "must be a number" in bad.text

    # Its figures can also be entered on the page; the cases imported stay.
    figures = {"council": demo.slug, "year": YEAR, "action": "figures", "decided": "3", "upheld": "2"}
    assert client.post(letter_url, {**figures, "upheld_rate": "66.7"}).status_code == 302
    letter = OmbudsmanLetter.objects.get(council=demo, year=YEAR)
    assert (letter.decided, str(letter.upheld_rate), letter.cases.count()) == (3, "66.7", 1)

    # The report and a quarter's governance pack from the web pages.
    download = client.get(reverse("handlingcode:report-download") + query + "&format=docx")
    assert download.status_code == 200
    assert docx.Document(io.BytesIO(download.content)).paragraphs
    pack = client.get(reverse("handlingcode:report-download") + query + "&format=json&quarter=Q1")
    assert json.loads(pack.content)["period"] == {"start": f"{YEAR}-04-01", "end": f"{YEAR}-06-30"}


def test_a_council_chooses_the_codes_it_follows(demo, client):
    from django.urls import reverse

    from opencomplaints.accounts.models import User

    client.force_login(User.objects.get(username="manager"))
    url = reverse("handlingcode:self-assessment")
    form = {"council": demo.slug, "year": YEAR, "action": "codes", "codes": ["lgsco", "housing"]}
    assert client.post(url, form).status_code == 302
    page = client.get(url, {"council": demo.slug, "year": YEAR, "code": "housing"})
    assert page.context["code"].key == "housing"
    assert page.context["assessment"] is None  # the demonstration assessed the LGSCO Code only
    client.post(url, {"council": demo.slug, "year": YEAR, "action": "start", "code": "housing"})
    started = SelfAssessment.objects.get(council=demo, year=YEAR, code="housing")
    assert (
        started.answers.get(provision="6.13").provision_text
        == "The person who handled stage 1 does not handle stage 2."
    )
    assert started.code_version == "2024"

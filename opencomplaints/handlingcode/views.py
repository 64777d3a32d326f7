"""The Code's pages: the self-assessment of a council's year (pre-filled from the case data, answered, reviewed
and signed off), one provision's answer, the Ombudsman's annual letter reconciled, and the Code report and the
quarterly governance pack as files. Reading is for the roles with reports (``CouncilPurpose.REPORTS``); changing
is the council's complaints managers'."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header

from opencomplaints.accounts.models import User
from opencomplaints.audit.models import AuditEventType
from opencomplaints.audit.services import audit_read_record
from opencomplaints.cases import constants as c
from opencomplaints.cases.access import CouncilPurpose, councils_for_purpose
from opencomplaints.cases.purposes import purpose_required
from opencomplaints.common.errors import DomainError
from opencomplaints.councils.models import Council, CouncilMembership, Role
from opencomplaints.handlingcode import selectors, services
from opencomplaints.handlingcode.codes import CODES, code_for
from opencomplaints.handlingcode.documents import code_report, letter_cases, letter_summary
from opencomplaints.handlingcode.metrics import measure_all
from opencomplaints.handlingcode.models import Verdict
from opencomplaints.handlingcode.reconciliation import (
    SUMMARY_FIELDS,
    LetterData,
    LetterFileError,
    parse_figure,
    parse_letter_csv,
)
from opencomplaints.handlingcode.report import VERDICT_NAMES, code_report_json
from opencomplaints.reporting.periods import QUARTERS, reporting_quarter, reporting_year, reporting_year_of
from opencomplaints.reporting.renderers import CONTENT_TYPES, Format
from opencomplaints.reporting.renderers import render as render_report

MANAGERS_ONLY = "Only the council's complaints managers can change the self-assessment or the Ombudsman's letter."
NO_ASSESSMENT = "Start a self-assessment for this year first."
MAX_LETTER_BYTES = 1_000_000


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - behind purpose_required
    return user


def _council_and_year(request: HttpRequest) -> tuple[Council, int, list[Council]]:
    councils = list(councils_for_purpose(user=request.user, purpose=CouncilPurpose.REPORTS).order_by("name"))
    if not councils:
        raise Http404("Your role does not include reports for any council.")
    params = request.POST if request.method == "POST" else request.GET
    slug = params.get("council") or councils[0].slug
    council = next((x for x in councils if x.slug == slug), None)
    if council is None:
        raise Http404("Choose one of your councils.")
    default = reporting_year_of(timezone.localdate()) - 1
    try:
        year = int(params.get("year") or default)
    except ValueError:
        raise Http404("Choose a reporting year.") from None
    if not 2000 <= year <= 2100:
        raise Http404("Choose a reporting year.")
    return council, year, councils


def _may_change(request: HttpRequest, council: Council) -> bool:
    return CouncilMembership.objects.filter(
        user_id=_user(request).pk, council=council, role=Role.COMPLAINTS_MANAGER
    ).exists()


def _code(request: HttpRequest, council: Council) -> str:
    """The Code asked for, if the council follows it; else the first it follows."""
    followed = selectors.council_codes(council=council)
    params = request.POST if request.method == "POST" else request.GET
    chosen = params.get("code", "")
    return chosen if chosen in followed else followed[0]


def _query(council: Council, year: int) -> str:
    return f"?council={council.slug}&year={year}"


def _case_links(references: list[str]) -> list[dict[str, str]]:
    search = reverse("tracker:search")
    return [{"reference": ref, "href": f"{search}?q={ref.split('/')[0]}"} for ref in references]


@purpose_required(CouncilPurpose.REPORTS)
def self_assessment(request: HttpRequest) -> HttpResponse:
    """The council's self-assessment of the year: every provision, its verdict, the figure and the cases behind it."""
    council, year, councils = _council_and_year(request)
    followed = selectors.council_codes(council=council)
    code = _code(request, council)
    back = reverse("handlingcode:self-assessment") + _query(council, year) + f"&code={code}"
    if request.method == "POST":
        if not _may_change(request, council):
            return render(request, "web/forbidden.html", {"refusal": MANAGERS_ONLY, "home_href": back}, status=403)
        return _self_assessment_post(request, council, year, code, back)
    assessment = selectors.self_assessment_latest(council=council, year=year, code=code)
    data = selectors.code_data(councils=[council], period=reporting_year(year))
    measures = measure_all(data.inputs)
    saved = {a.provision: a for a in assessment.answers.all()} if assessment else {}
    rows = []
    for p in code_for(code).provisions:
        m = measures.get(p.metric) if p.metric else None
        a = saved.get(p.number)
        verdict = (m.verdict if m else "") if (a is None or a.metric) else a.verdict
        rows.append(
            {
                "provision": p,
                "verdict": verdict,
                "verdict_name": VERDICT_NAMES.get(verdict, "Not yet answered"),
                "figure": ", ".join(
                    f"{k.replace('_', ' ')}: {v}" for k, v in m.measured.items() if not isinstance(v, dict)
                )
                if m
                else "",
                "cases": _case_links(list(m.cases)) if m else [],
                "answer": a,
            }
        )
    context: dict[str, Any] = {
        "council": council,
        "councils": councils,
        "year": year,
        "year_label": reporting_year(year).label,
        "code": code_for(code),
        "followed": [code_for(key) for key in followed],
        "all_codes": list(CODES.values()),
        "assessment": assessment,
        "rows": rows,
        "may_change": _may_change(request, council),
        "query": _query(council, year),
        "formats": [f.value for f in Format],
        "quarters": QUARTERS,
    }
    audit_read_record(
        acting_user=_user(request),
        event_type=AuditEventType.REPORT_GENERATED,
        subject=council,
        summary=f"Complaint Handling Code self-assessment shown for {council.name}, {year}",
        details={"council": council.slug, "year": year, "format": "page"},
    )
    return render(request, "handlingcode/self_assessment.html", context)


def _self_assessment_post(request: HttpRequest, council: Council, year: int, code: str, back: str) -> HttpResponse:
    action = request.POST.get("action", "")
    user, now = _user(request), timezone.now()
    assessment = selectors.self_assessment_latest(council=council, year=year, code=code)
    try:
        if action == "codes":
            services.council_codes_set(council=council, codes=request.POST.getlist("codes"), acting_user=user)
            messages.success(request, "The Codes the council follows have been saved.")
        elif action == "start":
            data = selectors.code_data(councils=[council], period=reporting_year(year))
            services.self_assessment_start(
                council=council,
                year=year,
                code=code,
                measures=measure_all(data.inputs),
                acting_user=user,
                now=now,
                reason=request.POST.get("reason", ""),
            )
            messages.success(request, "A new self-assessment has been started, pre-filled from the case records.")
        elif assessment is None:
            raise DomainError(NO_ASSESSMENT)
        elif action == "advance":
            services.assessment_advance(assessment=assessment, acting_user=user, now=now)
            messages.success(request, f"The self-assessment is now {assessment.get_status_display().lower()}.")
        elif action == "response":
            services.governing_body_response_record(
                assessment=assessment, acting_user=user, response=request.POST.get("response", ""), now=now
            )
            messages.success(request, "The governing body's response has been recorded.")
        else:
            raise Http404("Unknown action.")
    except DomainError as error:
        messages.error(request, error.message)
    return redirect(back)


@purpose_required(CouncilPurpose.REPORTS)
def answer(request: HttpRequest) -> HttpResponse:
    """Answer one provision the data cannot show: the verdict, commentary and an evidence document."""
    council, year, _ = _council_and_year(request)
    code = _code(request, council)
    back = reverse("handlingcode:self-assessment") + _query(council, year) + f"&code={code}"
    if not _may_change(request, council):
        return render(request, "web/forbidden.html", {"refusal": MANAGERS_ONLY, "home_href": back}, status=403)
    assessment = selectors.self_assessment_latest(council=council, year=year, code=code)
    params = request.POST if request.method == "POST" else request.GET
    saved = assessment.answers.filter(provision=params.get("provision", "")).first() if assessment else None
    if saved is None:
        raise Http404("Choose a provision of the self-assessment.")
    error = ""
    if request.method == "POST":
        try:
            services.assessment_answer_update(
                answer=saved,
                acting_user=_user(request),
                verdict=request.POST.get("verdict", ""),
                commentary=request.POST.get("commentary", ""),
                evidence=request.FILES.get("evidence"),
            )
        except DomainError as problem:
            error = problem.message
        else:
            messages.success(request, f"Provision {saved.provision} has been answered.")
            return redirect(back)
    context = {
        "council": council,
        "year": year,
        "answer": saved,
        "assessment": assessment,
        "verdicts": Verdict.choices,
        "error": error,
        "back": back,
        "chosen": request.POST.get("verdict", saved.verdict),
        "commentary": request.POST.get("commentary", saved.commentary),
    }
    return render(request, "handlingcode/answer.html", context, status=400 if error else 200)


@purpose_required(CouncilPurpose.REPORTS)
def ombudsman_letter(request: HttpRequest) -> HttpResponse:
    """The Ombudsman's annual review letter for the year and every difference from the council's records."""
    council, year, councils = _council_and_year(request)
    period = reporting_year(year)
    back = reverse("handlingcode:ombudsman-letter") + _query(council, year)
    error = ""
    if request.method == "POST":
        if not _may_change(request, council):
            return render(request, "web/forbidden.html", {"refusal": MANAGERS_ONLY, "home_href": back}, status=403)
        if request.POST.get("action") == "figures":
            return _letter_figures(request, council, year, back)
        upload = request.FILES.get("letter")
        try:
            if upload is None or not upload.size:
                raise LetterFileError("Select the letter's CSV file.")
            if upload.size > MAX_LETTER_BYTES:
                raise LetterFileError("The file must be smaller than 1 MB.")
            data = parse_letter_csv(upload.read(), decisions=frozenset(c.LgscoDecision.values))
        except LetterFileError as problem:
            error = str(problem)
        else:
            services.ombudsman_letter_save(
                council=council, year=year, data=data, acting_user=_user(request), now=timezone.now()
            )
            messages.success(request, "The Ombudsman's letter has been imported.")
            return redirect(back)
    summary = letter_summary(council=council, year=year, period=period)
    context = {
        "council": council,
        "councils": councils,
        "year": year,
        "year_label": period.label,
        "summary": summary,
        "figures": [
            (name.replace("_", " ").capitalize(), value) for name, value in (summary.figures.items() if summary else ())
        ],
        "may_change": _may_change(request, council),
        "error": error,
        "query": _query(council, year),
        "decision_names": dict(c.LgscoDecision.choices),
        "fields": [
            {
                "name": name,
                "label": name.replace("_", " ").capitalize(),
                "value": "" if summary is None or summary.figures.get(name) is None else summary.figures[name],
            }
            for name in SUMMARY_FIELDS
        ],
        "search": reverse("tracker:search"),
    }
    return render(request, "handlingcode/ombudsman_letter.html", context, status=400 if error else 200)


def _letter_figures(request: HttpRequest, council: Council, year: int, back: str) -> HttpResponse:
    """The letter's figures entered on the page; the cases it lists stay as imported."""
    letter = selectors.letter_for(council=council, year=year)
    try:
        summary = {name: parse_figure(name, request.POST.get(name, "")) for name in SUMMARY_FIELDS}
        for required in ("decided", "upheld"):
            if summary[required] is None:
                raise LetterFileError(f"Enter the number of complaints {required}.")
    except LetterFileError as problem:
        messages.error(request, str(problem))
        return redirect(back)
    cases = letter_cases(letter)
    data = LetterData(summary=summary, cases=cases, letter_date=letter.letter_date if letter else None)
    services.ombudsman_letter_save(
        council=council, year=year, data=data, acting_user=_user(request), now=timezone.now()
    )
    messages.success(request, "The letter's figures have been saved.")
    return redirect(back)


@purpose_required(CouncilPurpose.REPORTS)
def evidence_download(request: HttpRequest) -> HttpResponse:
    """A provision's evidence document, for the roles that see the self-assessment."""
    council, year, _ = _council_and_year(request)
    assessment = selectors.self_assessment_latest(council=council, year=year, code=_code(request, council))
    saved = assessment.answers.filter(provision=request.GET.get("provision", "")).first() if assessment else None
    if saved is None or not saved.evidence:
        raise Http404("This provision has no evidence document.")
    audit_read_record(
        acting_user=_user(request),
        event_type=AuditEventType.REPORT_GENERATED,
        subject=council,
        summary=f"Evidence for provision {saved.provision} of self-assessment #{saved.assessment_id} downloaded",
        details={"council": council.slug, "year": year, "format": "evidence", "provision": saved.provision},
    )
    with saved.evidence.open("rb") as handle:
        response = HttpResponse(handle.read(), content_type="application/octet-stream")
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=saved.evidence_name)
    return response


@purpose_required(CouncilPurpose.REPORTS)
def report_download(request: HttpRequest) -> HttpResponse:
    """The Code report for the year (or the governance pack of one quarter) as a file."""
    council, year, _ = _council_and_year(request)
    try:
        fmt = Format(request.GET.get("format", "html"))
    except ValueError:
        raise Http404("Choose a format.") from None
    quarter = request.GET.get("quarter", "")
    if quarter and quarter not in QUARTERS:
        raise Http404("Choose a quarter.")
    period = reporting_quarter(year, quarter) if quarter else reporting_year(year)
    built = code_report(
        councils=[council],
        period=period,
        generated_on=timezone.localdate(),
        quarterly=bool(quarter),
        code=_code(request, council),
    )
    content = code_report_json(built) if fmt is Format.JSON else render_report(built.report, fmt)
    audit_read_record(
        acting_user=_user(request),
        event_type=AuditEventType.REPORT_GENERATED,
        subject=council,
        summary=f"Complaint Handling Code report generated ({fmt.value}) for {council.name}, {period.label}",
        details={"council": council.slug, "format": fmt.value, "period": period.label},
    )
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    name = f"{'governance-pack' if quarter else 'code-report'}-{council.slug}-{year}{'-' + quarter if quarter else ''}"
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt.value}"'
    return response

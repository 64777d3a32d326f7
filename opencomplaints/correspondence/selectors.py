"""Reads of the correspondence app: a council's templates and settings, the words a step starts from, the merge
values of a case (only the shareable ones), the print queue and the inbox. Cases reach here already checked through
``opencomplaints.cases.access``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from urllib.parse import urlencode

from django.db.models import QuerySet

from opencomplaints.cases import constants as c
from opencomplaints.cases.models import Case, CaseComplainant, Deadline, Hold, PointFinding, Remedy, Stage
from opencomplaints.common.dates import LONDON
from opencomplaints.correspondence.defaults import (
    DEFAULT_ADVOCACY,
    DEFAULT_OMBUDSMAN,
    DEFAULT_SUPPORT,
    DEFAULT_WORDS,
)
from opencomplaints.correspondence.fields import SHAREABLE_NAMES
from opencomplaints.correspondence.models import (
    InboundEmail,
    InboundStatus,
    Letter,
    LetterChannel,
    LetterSettings,
    LetterStatus,
    LetterTemplateVersion,
)
from opencomplaints.correspondence.steps import STEPS, Audience, Step, StepKey
from opencomplaints.councils.models import Council
from opencomplaints.notifications.models import Delivery

__all__ = [
    "LONDON",
    "TemplateRow",
    "TemplateWords",
    "audience_for_case",
    "govuk_date",
    "inbox_for_councils",
    "letter_settings_for",
    "letter_values",
    "letters_for_case",
    "print_queue",
    "template_rows",
    "template_versions",
    "template_words",
]

ADULT_AGE = 18


def govuk_date(value: date | None) -> str:
    return f"{value.day} {value:%B %Y}" if value else ""


def letter_settings_for(council: Council) -> LetterSettings:
    """The council's letter settings, or unsaved standard ones (its name as the letterhead, the standard
    signposting) where it has not set any."""
    found = LetterSettings.objects.filter(council=council).first()
    if found is not None:
        return found
    return LetterSettings(
        council=council,
        letterhead=council.name,
        signature=f"Complaints team\n{council.name}",
        advocacy=DEFAULT_ADVOCACY,
        support=DEFAULT_SUPPORT,
        ombudsman=DEFAULT_OMBUDSMAN,
    )


@dataclass(frozen=True)
class TemplateWords:
    subject: str
    body: str
    version: LetterTemplateVersion | None

    @property
    def version_number(self) -> int:
        """0 for the standard words."""
        return self.version.number if self.version else 0


def template_words(*, council: Council, step: str, audience: str) -> TemplateWords:
    """The words ``council`` writes for ``step`` to ``audience``: its latest saved version, or the standard words."""
    version = (
        LetterTemplateVersion.objects.filter(
            template__council=council, template__step=step, template__audience=audience
        )
        .order_by("-number")
        .first()
    )
    if version is not None:
        return TemplateWords(version.subject, version.body, version)
    subject, body = DEFAULT_WORDS[(step, audience)]
    return TemplateWords(subject, body, None)


def template_versions(*, council: Council, step: str, audience: str) -> QuerySet[LetterTemplateVersion]:
    return (
        LetterTemplateVersion.objects.filter(
            template__council=council, template__step=step, template__audience=audience
        )
        .select_related("saved_by")
        .order_by("-number")
    )


@dataclass(frozen=True)
class TemplateRow:
    step: Step
    audience: Audience
    version_number: int
    saved_at: datetime | None


def template_rows(*, council: Council) -> list[TemplateRow]:
    """Every step and audience, with the version in use (0 for the standard words)."""
    latest: dict[tuple[str, str], LetterTemplateVersion] = {}
    for version in LetterTemplateVersion.objects.filter(template__council=council).select_related("template"):
        key = (version.template.step, version.template.audience)
        if key not in latest or version.number > latest[key].number:
            latest[key] = version
    rows = []
    for step in STEPS:
        for audience in step.audiences:
            found = latest.get((step.key, audience))
            rows.append(TemplateRow(step, audience, found.number if found else 0, found.saved_at if found else None))
    return rows


def _primary(case: Case) -> CaseComplainant | None:
    return CaseComplainant.objects.filter(case=case, is_primary=True).select_related("person").first()


def audience_for_case(*, case: Case, today: date) -> Audience:
    """The young person's version when the primary complainant is a child or young person: recorded as one, or
    under 18 today by their date of birth."""
    primary = _primary(case)
    if primary is None:
        return Audience.ADULT
    if primary.complainant_type == c.ComplainantType.CHILD_YOUNG_PERSON:
        return Audience.YOUNG_PERSON
    born = primary.person.date_of_birth
    if born is not None:
        age = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
        if age < ADULT_AGE:
            return Audience.YOUNG_PERSON
    return Audience.ADULT


def _current_stage(case: Case) -> Stage | None:
    return Stage.objects.filter(case=case).order_by("-number").first()


def _standard_due(stage: Stage | None, case: Case) -> date | None:
    if stage is None:
        return case.response_due_date
    key = f"stage{stage.number}_response"
    return Deadline.objects.filter(stage=stage, key=key).values_list("due_date", flat=True).first()


def _points(case: Case, stage: Stage | None) -> tuple[str, str]:
    lines, with_outcomes = [], []
    findings = {f.point_id: f for f in PointFinding.objects.filter(stage=stage)} if stage is not None else {}
    for point in case.points.order_by("number"):
        lines.append(f"{point.number}. {point.description.strip()}")
        finding = findings.get(point.pk)
        found = f" {finding.get_finding_display()}." if finding is not None else ""
        # What the council says on the point, written for the complainant (never the finding's working note).
        said = f"\n{finding.response.strip()}" if finding is not None and finding.response.strip() else ""
        with_outcomes.append(f"{point.number}. {point.description.strip()}{found}{said}")
    # Points with the council's words on them are set apart by a blank line, so each reads as its own paragraph.
    separator = "\n\n" if any("\n" in w for w in with_outcomes) else "\n"
    return "\n".join(lines), separator.join(with_outcomes)


def _remedies(case: Case) -> str:
    lines = []
    for remedy in Remedy.objects.filter(case=case).select_related("remedy_type").order_by("id"):
        text = remedy.description.strip() or remedy.remedy_type.name
        if remedy.amount is not None:
            text += f" (£{remedy.amount:,.2f})"
        lines.append(f"* {text}")
    return "\n".join(lines)


def letter_values(*, case: Case, today: date, officer_name: str = "") -> dict[str, str]:
    """The value of every shareable merge field for ``case``, and nothing else.

    Only the details on ``fields.MERGE_FIELDS`` are read: the reason for an extension or a hold, notes, the decline
    note, the case summary, findings' notes and anyone else's details are never looked at, so they cannot reach a
    letter whatever a template says."""
    primary = _primary(case)
    name = primary.person.full_name if primary else ""
    stage = _current_stage(case)
    hold = Hold.objects.filter(stage=stage).order_by("-start_date", "-id").first() if stage is not None else None
    settings = letter_settings_for(case.council)
    ombudsman = getattr(case, "ombudsman", None) if case.kind == c.Kind.OMBUDSMAN else None
    points, points_with_outcomes = _points(case, stage)
    outcome = (stage.outcome if stage else case.outcome) or ""
    values = {
        "greeting": f"Dear {name}" if name else "Hello",
        "complainant_name": name,
        "reference": case.reference,
        "council": case.council.name,
        "letter_date": govuk_date(today),
        "received_date": govuk_date(case.received_date),
        "topic": case.topic,
        "stage": str(stage.number) if stage else "",
        "due_date": govuk_date(_standard_due(stage, case)),
        "extended_due_date": govuk_date(stage.extended_due_date if stage else None),
        "hold_start_date": govuk_date(hold.start_date if hold else None),
        "resume_date": govuk_date(hold.end_date if hold else None),
        "statement_agreed_date": govuk_date(stage.statement_agreed_date if stage else None),
        "panel_date": govuk_date(stage.panel_date if stage else None),
        "points": points,
        "points_with_outcomes": points_with_outcomes,
        "outcome": c.Outcome(outcome).label.lower() if outcome else "",
        "remedies": _remedies(case),
        "officer_name": officer_name,
        "ombudsman_reference": ombudsman.lgsco_reference if ombudsman else "",
        "advocacy": settings.advocacy.strip(),
        "support": settings.support.strip(),
        "ombudsman": settings.ombudsman.strip(),
    }
    assert set(values) == SHAREABLE_NAMES  # noqa: S101 - the declared list and this function must agree
    return values


def letters_for_case(*, case: Case) -> QuerySet[Letter]:
    return (
        Letter.objects.filter(case=case)
        .select_related("written_by", "sent_by", "message")
        .order_by("-created_at", "-id")
    )


def _london_day(day: date) -> tuple[datetime, datetime]:
    start = datetime.combine(day, time.min, tzinfo=LONDON)
    return start, datetime.combine(day + timedelta(days=1), time.min, tzinfo=LONDON)


def print_queue(*, councils: QuerySet[Council], day: date | None = None) -> QuerySet[Letter]:
    """Letters for post waiting to be printed, oldest first; with ``day``, those put in the queue that London day."""
    letters = Letter.objects.filter(case__council__in=councils, status=LetterStatus.TO_PRINT)
    if day is not None:
        start, end = _london_day(day)
        letters = letters.filter(sent_at__gte=start, sent_at__lt=end)
    return letters.select_related("case", "case__council").order_by("sent_at", "id")


def inbox_for_councils(*, councils: QuerySet[Council]) -> QuerySet[InboundEmail]:
    return InboundEmail.objects.filter(council__in=councils, status=InboundStatus.INBOX).order_by("received_at", "id")


@dataclass(frozen=True)
class CorrespondenceItem:
    """A letter or email on a case, sent or received, for the case page and its timeline."""

    at: datetime
    direction: str  # "sent" or "received"
    title: str
    detail: str
    href: str
    record: Letter | InboundEmail
    # An email that did not reach the complainant: what to do instead, and where.
    warning: str = ""
    warning_href: str = ""

    @property
    def direction_label(self) -> str:
        return "Sent" if self.direction == "sent" else "Received"


def case_correspondence(case: Case) -> list[CorrespondenceItem]:
    """The letters sent (or in the print queue) and the emails received on ``case``, newest first. A draft is
    listed at when it was last written."""
    from django.urls import reverse

    items = []
    for letter in letters_for_case(case=case):
        how = LetterChannel(letter.channel).label.lower()
        to = letter.recipient_lines[0] if letter.recipient_lines else ""
        status = letter.get_status_display()
        warning = warning_href = ""
        if letter.message is not None and letter.message.delivery == Delivery.NOT_DELIVERED:
            status = "Emailed but not delivered"
            warning = "The email did not reach them: write it as a postal letter"
            compose = reverse("correspondence:compose", kwargs={"case_id": case.pk})
            warning_href = (
                f"{compose}?{urlencode({'step': letter.step, 'audience': letter.audience, 'channel': 'post'})}"
            )
        items.append(
            CorrespondenceItem(
                at=letter.sent_at or letter.updated_at,
                direction="sent",
                title=f"{letter.get_step_display()} letter",
                detail=f"{status} ({how}) to {to}",
                href=reverse("correspondence:letter-preview", kwargs={"case_id": case.pk, "letter_id": letter.pk}),
                record=letter,
                warning=warning,
                warning_href=warning_href,
            )
        )
    for email in InboundEmail.objects.filter(case=case).prefetch_related("documents"):
        attached = len(email.documents.all())
        detail = f"From {email.from_address or 'an unknown sender'}"
        if attached:
            detail += f", {attached} attachment{'s' if attached != 1 else ''} added to the documents"
        if email.refused_attachments:
            detail += f", {len(email.refused_attachments)} attachment(s) refused by the document checks"
        items.append(
            CorrespondenceItem(
                at=email.received_at,
                direction="received",
                title=(
                    "Delivery failure notice"
                    if email.status == InboundStatus.BOUNCE
                    else f"Email: {email.subject or '(no subject)'}"
                ),
                detail=detail,
                href="",
                record=email,
            )
        )
    return sorted(items, key=lambda item: item.at, reverse=True)


def step_label(key: str) -> str:
    return str(StepKey(key).label)

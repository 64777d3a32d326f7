"""The annual report's publication in the demonstration: the children's statutory report of the year before the
end date, written by an officer, its quotes from compliments approved, approved by the complaints manager and
published (frozen, with its files), and this year's report in progress, with some of its narrative written, the
year's context figures entered and all but the last of its quotes approved (the last waits for review)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from opencomplaints.accounts.models import User
from opencomplaints.councils.models import Council
from opencomplaints.reporting.models import ContextFigures, PublishedReportFile, ReportDraft
from opencomplaints.reporting.periods import reporting_year_of
from opencomplaints.reporting.publication_selectors import draft_quotes
from opencomplaints.reporting.renderers.common import public_text
from opencomplaints.reporting.report import narrative_prompts
from opencomplaints.reporting.services import publication

__all__ = ["publication_demo", "publication_demo_delete", "publication_demo_subjects"]

LONDON = ZoneInfo("Europe/London")
PROCEDURE = "children_statutory"

#: What the officer wrote for each section that asks for narrative (plain text, paragraphs between blank lines).
NARRATIVE: Mapping[str, str] = {
    "summary": (
        "This year the complaints team concentrated on answering stage 1 complaints within the timescale and on "
        "resolving concerns before they became complaints.\n\n"
        "Our priorities for next year are to reduce the number of extended stage 1 responses, to publish clearer "
        "information for children and young people on how to complain, and to check that agreed remedies are "
        "carried out."
    ),
    "about": (
        "The complaints team sits in the Quality Assurance service and handles complaints under the children's "
        "statutory procedure, the adults' procedure and the corporate procedure.\n\n"
        "Children and young people who want to complain are offered an independent advocate. Advocacy is "
        "provided under contract by a local children's rights service, and a referral is made on the day a young "
        "person asks."
    ),
    "context": (
        "Demand for children's social care rose during the year, with more referrals and more children with a "
        "child protection plan. Complaints should be read against that activity: the rates below allow "
        "comparison with councils of a different size."
    ),
    "complainants": (
        "Most complaints came from parents. Young people who complained were supported by an advocate, and two "
        "were helped to resolve their concerns informally before a formal complaint was needed."
    ),
    "subjects": (
        "Communication remained the most common theme: delays in returning calls and not being told about "
        "changes of social worker. Contact arrangements for children in care were the second theme."
    ),
    "timeliness": (
        "Late stage 1 responses were mostly in the months when teams were short of managers. Complaints are now "
        "allocated on the day they arrive and chased at day 7, and the team reports late responses monthly to the "
        "service's leadership team."
    ),
    "ombudsman": (
        "The council accepted every recommendation the Ombudsman made and carried each out within the time "
        "agreed. Learning from the decisions was shared with the teams concerned."
    ),
    "learning": (
        "Complaints led to a new checklist for transferring a case between social workers, so that families are "
        "told who their new worker is within five working days, and to clearer letters about contact."
    ),
    "effectiveness": (
        "The procedure worked well at stage 1; stage 2 investigations took longer than they should. Next year's "
        "objectives are to commission investigating officers earlier and to agree extensions with complainants "
        "in writing."
    ),
}

#: The year's context figures (the service's activity), for the year before and the year of the end date.
CONTEXT: tuple[Mapping[str, int], Mapping[str, int]] = (
    {
        "referrals": 4180,
        "assessments": 3925,
        "children_in_need": 2710,
        "child_protection_plans": 318,
        "children_looked_after": 402,
        "care_leavers": 267,
        "population_0_17": 61400,
    },
    {
        "referrals": 4365,
        "assessments": 4010,
        "children_in_need": 2795,
        "child_protection_plans": 341,
        "children_looked_after": 415,
        "care_leavers": 281,
        "population_0_17": 61750,
    },
)


def _at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=LONDON)


def _write(draft: ReportDraft, officer: User, now: datetime, sections: Iterable[str]) -> None:
    """The officer's narrative; the summary keeps the sentences drafted from the figures and adds to them."""
    report = publication.draft_report(draft, generated_on=now.date(), narrative=False)
    drafted = {s.key: "\n\n".join(public_text(t) for t in s.sentences) for s in report.sections}
    asked = narrative_prompts(report)
    for section in sections:
        if section not in asked:
            continue
        text = NARRATIVE[section]
        if section == "summary" and drafted["summary"]:
            text = f"{drafted['summary']}\n\n{text}"
        publication.report_narrative_save(draft=draft, section=section, text=text, acting_user=officer, now=now)


def _review_quotes(draft: ReportDraft, manager: User, now: datetime, *, leave_last: bool) -> None:
    """The manager approves each quote as redacted (all but the last, when ``leave_last``)."""
    quotes = draft_quotes(draft)
    for quote in quotes[:-1] if leave_last else quotes:
        publication.report_quote_review(
            draft=draft, compliment_id=quote.compliment_id, approve=True, acting_user=manager, now=now
        )


def publication_demo(*, council: Council, users: Mapping[str, User], end_date: date) -> None:
    """The published report of the previous reporting year and the draft of the current one (see the module
    docstring). The report is published at the end of June after its year, or on the end date if that is sooner."""
    officer, manager = users["officer"], users["manager"]
    year = reporting_year_of(end_date)
    published_on = min(end_date, date(year, 6, 30))
    written_on = max(date(year, 4, 1), published_on.replace(day=1))
    last = publication.report_draft_start(
        council=council, procedure=PROCEDURE, year=year - 1, acting_user=officer, now=_at(written_on, 9)
    )
    publication.report_context_figures_save(draft=last, figures=CONTEXT[0], acting_user=officer, now=_at(written_on, 9))
    _write(last, officer, _at(written_on, 10), NARRATIVE)
    publication.report_submit(draft=last, acting_user=officer, now=_at(written_on, 16))
    _review_quotes(last, manager, _at(published_on, 9), leave_last=False)
    publication.report_approve(draft=last, acting_user=manager, now=_at(published_on, 10))
    publication.report_publish(draft=last, acting_user=manager, now=_at(published_on, 11))

    current = publication.report_draft_start(
        council=council, procedure=PROCEDURE, year=year, acting_user=officer, now=_at(end_date, 9)
    )
    publication.report_context_figures_save(
        draft=current, figures=CONTEXT[1], acting_user=officer, now=_at(end_date, 9)
    )
    _write(current, officer, _at(end_date, 10), ("about", "context", "complainants"))
    _review_quotes(current, manager, _at(end_date, 11), leave_last=True)


def publication_demo_subjects(councils: list[Council]) -> list[tuple[str, list[str]]]:
    """The audit subjects the publication demonstration recorded events about (to delete with the councils)."""
    drafts = ReportDraft.objects.filter(council__in=councils).values_list("pk", flat=True)
    figures = ContextFigures.objects.filter(council__in=councils).values_list("pk", flat=True)
    return [
        (ReportDraft._meta.label_lower, [str(pk) for pk in drafts]),
        (ContextFigures._meta.label_lower, [str(pk) for pk in figures]),
    ]


def publication_demo_delete(councils: list[Council]) -> None:
    """Remove the councils' reports, published ones included (only ever for demonstration councils)."""
    PublishedReportFile.objects.filter(draft__council__in=councils).delete()
    ReportDraft.objects.filter(council__in=councils).update(corrects=None)
    ReportDraft.objects.filter(council__in=councils).delete()

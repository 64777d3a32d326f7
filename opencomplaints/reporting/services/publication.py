"""The annual report's publication workflow (docs/adr/0015-publication-freezes-the-document.md).

A complaints officer or manager starts a draft for a council, procedure and reporting year
(:func:`report_draft_start`), writes each section's narrative beside its figures (:func:`report_narrative_save`)
and the year's context figures (:func:`report_context_figures_save`), and submits it (:func:`report_submit`). A
complaints manager other than the person who last changed it approves it (:func:`report_approve`) or returns it
with a comment (:func:`report_return`); a complaints manager publishes it (:func:`report_publish`), which freezes
the document: the whole report as canonical JSON, the HTML, PDF, DOCX and XLSX files made from that JSON, the
SHA-256 of each and of the case data the report was built from. :func:`report_reproduce` makes the files again
from the frozen JSON and compares them byte for byte.

Each write is keyword-only, takes the acting user, runs in one transaction and records an audit event (1670s).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from opencomplaints.accounts.models import User
from opencomplaints.audit.models import AuditEventType
from opencomplaints.audit.services import FreeText, audit_event_record
from opencomplaints.common.errors import DomainError
from opencomplaints.councils.models import Council, CouncilMembership, Role
from opencomplaints.reporting.assembly import inputs_for_report, report_from_inputs
from opencomplaints.reporting.frozen import canonical_json, report_freeze, report_thaw, sha256
from opencomplaints.reporting.metrics.breakdowns import Basis
from opencomplaints.reporting.metrics.selection import COMBINED
from opencomplaints.reporting.models import (
    OPEN_STATUSES,
    PROCEDURE_CHOICES,
    PublishedReportFile,
    QuoteReview,
    ReportDraft,
    ReportNarrative,
)
from opencomplaints.reporting.periods import reporting_year
from opencomplaints.reporting.publication_selectors import approved_quotes, draft_quotes, quote_sha256
from opencomplaints.reporting.redaction import redact
from opencomplaints.reporting.renderers import Format, render
from opencomplaints.reporting.renderers.common import min_cell_setting, report_filename
from opencomplaints.reporting.report import (
    COMBINED_PARTS,
    AnnualReport,
    ReportInputs,
    section_keys,
    with_narrative,
)
from opencomplaints.reporting.selectors import names_to_redact
from opencomplaints.reporting.services.figures import context_figures_set

__all__ = [
    "APPROVERS",
    "EDITORS",
    "PUBLISHED_FORMATS",
    "Reproduction",
    "draft_report",
    "inputs_sha256",
    "report_approve",
    "report_context_figures_save",
    "report_draft_start",
    "report_narrative_save",
    "report_publish",
    "report_quote_review",
    "report_reproduce",
    "report_return",
    "report_submit",
]

#: Who writes a report: the council-wide complaints team. Who approves and publishes it: a complaints manager.
EDITORS = frozenset({Role.COMPLAINTS_MANAGER, Role.COMPLAINTS_OFFICER})
APPROVERS = frozenset({Role.COMPLAINTS_MANAGER})
#: The files a published report is kept in, in the order they are offered.
PUBLISHED_FORMATS = (Format.HTML, Format.PDF, Format.DOCX, Format.XLSX)
NARRATIVE_LIMIT = 20_000

NOT_AN_EDITOR = "Only the complaints team of {council} can write its annual report"
NOT_AN_APPROVER = "Only a complaints manager of {council} can approve, return or publish its annual report"
UNKNOWN_PROCEDURE = "Choose the procedure the report is for"
ALREADY_OPEN = "A {year} {procedure} report for {council} is already being written: carry on with that one"
NOT_EDITABLE = "The report is {status}: it cannot be changed. {hint}"
UNKNOWN_SECTION = "The report has no section called {section}"
TOO_LONG = "The narrative must be {limit:,} characters or fewer"
NOT_SUBMITTED = "Only a report waiting for approval can be approved or returned"
NOT_APPROVED = "Only an approved report can be published"
SAME_PERSON = "You changed this report last. Another complaints manager must approve it"
COMMENT_REQUIRED = "Say what needs changing before the report is approved"
NARRATIVE_MISSING = "Write the narrative for {sections} before submitting the report"
YEAR_NOT_ENDED = "The {year} reporting year ends on 31 March {end}. Its report can be published after that"
NOT_PUBLISHED = "Only a published report can be made again from its frozen figures"
QUOTES_WAITING = "Approve or reject every quote before publishing the report: {count} waiting for review"
UNKNOWN_QUOTE = "The report does not quote that compliment"
UNKNOWN_DECISION = "Choose whether to approve or reject the quote"
QUOTE_EMPTY = "Enter the words to publish, or reject the quote"
QUOTE_TOO_LONG = "A quote must be {limit:,} characters or fewer"
QUOTE_LIMIT = 2_000

_HINTS = {
    ReportDraft.Status.SUBMITTED: "A manager can return it to you with a comment.",
    ReportDraft.Status.APPROVED: "A manager can return it to you with a comment, or publish it.",
    ReportDraft.Status.PUBLISHED: "Start a correction to change a published report.",
    ReportDraft.Status.SUPERSEDED: "A correction has replaced it.",
}


def _has_role(user: User, council: Council, roles: frozenset[Role]) -> bool:
    return (
        user.is_active
        and CouncilMembership.objects.filter(council=council, user_id=user.pk, role__in=list(roles)).exists()
    )


def _require(user: User, council: Council, roles: frozenset[Role], message: str) -> None:
    if not _has_role(user, council, roles):
        raise DomainError(message.format(council=council.name))


def _require_editable(draft: ReportDraft) -> None:
    if not draft.editable:
        status = draft.get_status_display().lower()
        raise DomainError(
            NOT_EDITABLE.format(status=status, hint=_HINTS.get(ReportDraft.Status(draft.status), "")).strip()
        )


def _locked(draft: ReportDraft) -> ReportDraft:
    """The draft as it is now, locked for the rest of the transaction, so two people acting at once cannot both
    move it on."""
    return ReportDraft.objects.select_for_update().get(pk=draft.pk)


def _audit(draft: ReportDraft, user: User, event: AuditEventType, summary: str, **changes: Any) -> None:
    audit_event_record(
        acting_user=user,
        event_type=event,
        subject=draft,
        summary=f"{summary}: {draft.council.name} {draft.get_procedure_display()} {draft.year_label}",
        before=changes.pop("before", {}),
        after={"status": draft.status, **changes},
    )


def _edited(draft: ReportDraft, user: User, now: datetime) -> None:
    draft.last_edited_by, draft.last_edited_at = user, now
    draft.save(update_fields=["last_edited_by", "last_edited_at", "updated_at"])


@transaction.atomic
def report_draft_start(*, council: Council, procedure: str, year: int, acting_user: User, now: datetime) -> ReportDraft:
    """Start writing the report of ``council`` for ``procedure`` and reporting year ``year``. If that report was
    published, the new draft is its correction: it starts from the published narrative, and publishing it
    supersedes the published one."""
    _require(acting_user, council, EDITORS, NOT_AN_EDITOR)
    names = dict(PROCEDURE_CHOICES)
    if procedure not in names:
        raise DomainError(UNKNOWN_PROCEDURE, field="procedure")
    same = ReportDraft.objects.select_for_update().filter(council=council, procedure=procedure, year=year)
    if same.filter(status__in=OPEN_STATUSES).exists():
        raise DomainError(
            ALREADY_OPEN.format(
                year=reporting_year(year).label, procedure=names[procedure].lower(), council=council.name
            )
        )
    published = same.filter(status=ReportDraft.Status.PUBLISHED).first()
    draft = ReportDraft(
        council=council,
        procedure=procedure,
        year=year,
        corrects=published,
        started_by=acting_user,
        last_edited_by=acting_user,
        last_edited_at=now,
    )
    draft.full_clean()
    draft.save()
    if published is not None:
        ReportNarrative.objects.bulk_create(
            ReportNarrative(draft=draft, section=n.section, text=n.text, note=n.note, edited_by=acting_user)
            for n in published.narratives.all()
        )
        QuoteReview.objects.bulk_create(
            QuoteReview(
                draft=draft,
                compliment_id=r.compliment_id,
                source_sha256=r.source_sha256,
                status=r.status,
                text=r.text,
                edited=r.edited,
                reviewed_by=r.reviewed_by,
                reviewed_at=r.reviewed_at,
            )
            for r in published.quote_reviews.all()
        )
    elif procedure == COMBINED:
        ReportNarrative.objects.bulk_create(_parts_narrative(council, year, acting_user, draft))
    _audit(
        draft,
        acting_user,
        AuditEventType.REPORT_DRAFT_STARTED,
        "Correction started" if published else "Report draft started",
        corrects=published.pk if published else None,
    )
    return draft


def _parts_narrative(council: Council, year: int, user: User, draft: ReportDraft) -> list[ReportNarrative]:
    """A combined report starts from what was written for each procedure's own report of the year (the latest
    draft or published report of each), under the part's section keys."""
    narratives: list[ReportNarrative] = []
    for procedure, prefix, _ in COMBINED_PARTS:
        source = (
            ReportDraft.objects.filter(council=council, procedure=procedure, year=year)
            .exclude(status=ReportDraft.Status.SUPERSEDED)
            .order_by("-created_at", "-id")
            .first()
        )
        if source is not None:
            narratives.extend(
                ReportNarrative(draft=draft, section=f"{prefix}.{n.section}", text=n.text, note=n.note, edited_by=user)
                for n in source.narratives.all()
            )
    return narratives


def _inputs(draft: ReportDraft) -> tuple[ReportInputs, ...]:
    return inputs_for_report(councils=[draft.council], period=reporting_year(draft.year), procedure=draft.procedure)


def draft_report(
    draft: ReportDraft,
    *,
    generated_on: date,
    final: bool = False,
    narrative: bool = True,
    inputs: Sequence[ReportInputs] | None = None,
) -> AnnualReport:
    """The report of ``draft`` from the case data as it is now, with the narrative written so far (unless
    ``narrative`` is false: the sentences drafted from the figures, to start writing from, and every quote
    redaction proposes). With the narrative, as it will be published: only the quotes a reviewer approved."""
    inputs = inputs or _inputs(draft)
    quotes = approved_quotes(draft) if narrative or final else None
    report = report_from_inputs(
        inputs, procedure=draft.procedure, generated_on=generated_on, basis=Basis.RECEIVED, quotes=quotes
    )
    if not narrative:
        return report
    return with_narrative(report, {n.section: n.text for n in draft.narratives.all()}, final=final)


@transaction.atomic
def report_narrative_save(
    *, draft: ReportDraft, section: str, text: str, note: str = "", acting_user: User, now: datetime
) -> ReportNarrative:
    """Save what officers wrote for ``section``: ``text`` is published (in plain paragraphs), ``note`` is for the
    approving manager only. A blank ``text`` goes back to the sentences drafted from the figures."""
    draft = _locked(draft)
    _require(acting_user, draft.council, EDITORS, NOT_AN_EDITOR)
    _require_editable(draft)
    if section not in section_keys(draft.procedure):
        raise DomainError(UNKNOWN_SECTION.format(section=section), field="section")
    if len(text) > NARRATIVE_LIMIT or len(note) > NARRATIVE_LIMIT:
        raise DomainError(TOO_LONG.format(limit=NARRATIVE_LIMIT), field="text")
    narrative, _ = ReportNarrative.objects.get_or_create(draft=draft, section=section)
    before = {"text": FreeText(narrative.text), "note": FreeText(narrative.note)}
    narrative.text, narrative.note, narrative.edited_by = text.strip(), note.strip(), acting_user
    narrative.full_clean()
    narrative.save()
    _edited(draft, acting_user, now)
    _audit(
        draft,
        acting_user,
        AuditEventType.REPORT_NARRATIVE_SAVED,
        f"Narrative of section {section} saved",
        before=before,
        section=section,
        text=FreeText(narrative.text),
        note=FreeText(narrative.note),
    )
    return narrative


@transaction.atomic
def report_context_figures_save(
    *, draft: ReportDraft, figures: Mapping[str, int | None], acting_user: User, now: datetime
) -> ReportDraft:
    """Set the year's context figures (the council's activity the report sets complaints against) from the
    draft's page."""
    draft = _locked(draft)
    _require(acting_user, draft.council, EDITORS, NOT_AN_EDITOR)
    _require_editable(draft)
    context_figures_set(council=draft.council, year=draft.year, figures=figures, acting_user=acting_user)
    _edited(draft, acting_user, now)
    _audit(draft, acting_user, AuditEventType.REPORT_CONTEXT_SAVED, "Context figures saved", figures=dict(figures))
    return draft


@transaction.atomic
def report_submit(*, draft: ReportDraft, acting_user: User, now: datetime) -> ReportDraft:
    """Submit the draft for approval, once every section that asks for narrative has some."""
    draft = _locked(draft)
    _require(acting_user, draft.council, EDITORS, NOT_AN_EDITOR)
    _require_editable(draft)
    report = draft_report(draft, generated_on=timezone.localdate(now))
    missing = [s.title for s in report.sections if s.placeholders]
    if missing:
        raise DomainError(NARRATIVE_MISSING.format(sections=", ".join(missing)))
    draft.status = ReportDraft.Status.SUBMITTED
    draft.submitted_by, draft.submitted_at = acting_user, now
    draft.save(update_fields=["status", "submitted_by", "submitted_at", "updated_at"])
    _audit(
        draft, acting_user, AuditEventType.REPORT_SUBMITTED, "Report submitted for approval", before={"status": "draft"}
    )
    return draft


@transaction.atomic
def report_approve(*, draft: ReportDraft, acting_user: User, now: datetime) -> ReportDraft:
    """Approve a submitted report: a complaints manager other than the person who last changed it or submitted
    it (a second pair of eyes on what the council publishes)."""
    draft = _locked(draft)
    _require(acting_user, draft.council, APPROVERS, NOT_AN_APPROVER)
    if draft.status != ReportDraft.Status.SUBMITTED:
        raise DomainError(NOT_SUBMITTED)
    if acting_user.pk in (draft.last_edited_by_id, draft.submitted_by_id):
        raise DomainError(SAME_PERSON)
    draft.status = ReportDraft.Status.APPROVED
    draft.approved_by, draft.approved_at = acting_user, now
    draft.save(update_fields=["status", "approved_by", "approved_at", "updated_at"])
    _audit(draft, acting_user, AuditEventType.REPORT_APPROVED, "Report approved", before={"status": "submitted"})
    return draft


@transaction.atomic
def report_return(*, draft: ReportDraft, comment: str, acting_user: User, now: datetime) -> ReportDraft:
    """Send a submitted (or approved, not yet published) report back to the officers with a comment."""
    draft = _locked(draft)
    _require(acting_user, draft.council, APPROVERS, NOT_AN_APPROVER)
    if draft.status not in (ReportDraft.Status.SUBMITTED, ReportDraft.Status.APPROVED):
        raise DomainError(NOT_SUBMITTED)
    if not comment.strip():
        raise DomainError(COMMENT_REQUIRED, field="comment")
    before = draft.status
    draft.status = ReportDraft.Status.DRAFT
    draft.returned_comment, draft.returned_by, draft.returned_at = comment.strip(), acting_user, now
    draft.approved_by, draft.approved_at = None, None
    draft.save(
        update_fields=[
            "status",
            "returned_comment",
            "returned_by",
            "returned_at",
            "approved_by",
            "approved_at",
            "updated_at",
        ]
    )
    _audit(
        draft,
        acting_user,
        AuditEventType.REPORT_RETURNED,
        "Report returned with a comment",
        before={"status": before},
        comment=FreeText(draft.returned_comment),
    )
    return draft


def inputs_sha256(inputs: ReportInputs | Sequence[ReportInputs]) -> str:
    """The SHA-256 of the case data a report is built from: its records, in reference order, and the year's
    context figures, as canonical JSON; for a combined report (several inputs), of each part's SHA-256 in turn."""
    if not isinstance(inputs, ReportInputs):
        if len(inputs) == 1:
            return inputs_sha256(inputs[0])
        return sha256(json.dumps([inputs_sha256(i) for i in inputs]).encode())
    records = sorted((asdict(r) for r in inputs.records), key=lambda r: (r["council"], r["ref"]))
    data = {
        "records": records,
        "context": dict(inputs.context),
        "previous_context": dict(inputs.previous_context),
    }
    return sha256(json.dumps(data, sort_keys=True, separators=(",", ":"), default=str).encode())


def _render_all(report: AnnualReport, min_cell: int) -> dict[Format, bytes]:
    return {fmt: render(report, fmt, min_cell=min_cell) for fmt in PUBLISHED_FORMATS}


@transaction.atomic
def report_publish(*, draft: ReportDraft, acting_user: User, now: datetime) -> ReportDraft:
    """Publish an approved report, freezing it (see the module docstring); a correction supersedes the report it
    corrects in the same transaction."""
    draft = _locked(draft)
    _require(acting_user, draft.council, APPROVERS, NOT_AN_APPROVER)
    if draft.status != ReportDraft.Status.APPROVED:
        raise DomainError(NOT_APPROVED)
    period = reporting_year(draft.year)
    if timezone.localdate(now) < period.end_exclusive:
        raise DomainError(YEAR_NOT_ENDED.format(year=period.label, end=period.end.year))
    waiting = [q for q in draft_quotes(draft) if q.waiting]
    if waiting:
        raise DomainError(QUOTES_WAITING.format(count=len(waiting)))
    inputs = _inputs(draft)
    report = draft_report(draft, generated_on=timezone.localdate(now), final=True, inputs=inputs)
    frozen = canonical_json(report_freeze(report))
    min_cell = min_cell_setting()
    files = _render_all(report_thaw(json.loads(frozen)), min_cell)
    if draft.corrects_id is not None:
        old = ReportDraft.objects.select_for_update().get(pk=draft.corrects_id)
        old.status, old.superseded_at = ReportDraft.Status.SUPERSEDED, now
        old.save(update_fields=["status", "superseded_at", "updated_at"])
        _audit(
            old,
            acting_user,
            AuditEventType.REPORT_SUPERSEDED,
            "Published report superseded by a correction",
            before={"status": "published"},
            correction=draft.pk,
        )
    draft.status = ReportDraft.Status.PUBLISHED
    draft.published_by, draft.published_at = acting_user, now
    draft.report_json, draft.report_sha256 = frozen.decode(), sha256(frozen)
    draft.data_sha256, draft.min_cell = inputs_sha256(inputs), min_cell
    draft.full_clean()
    draft.save()
    PublishedReportFile.objects.bulk_create(
        PublishedReportFile(
            draft=draft,
            file_format=str(fmt),
            file_name=report_filename(report, str(fmt)),
            content=content,
            sha256=sha256(content),
            size=len(content),
        )
        for fmt, content in files.items()
    )
    _audit(
        draft,
        acting_user,
        AuditEventType.REPORT_PUBLISHED,
        "Report published",
        before={"status": "approved"},
        report_sha256=draft.report_sha256,
        data_sha256=draft.data_sha256,
        files={str(fmt): sha256(content) for fmt, content in files.items()},
    )
    return draft


@transaction.atomic
def report_quote_review(
    *, draft: ReportDraft, compliment_id: int, approve: bool, text: str | None = None, acting_user: User, now: datetime
) -> QuoteReview:
    """A complaints manager's decision on one quote of ``draft``'s report: approve it as redaction proposes it,
    approve ``text`` instead (their own version of the words, which is redacted too), or reject it (it is not
    published). A decision can be changed until the report is published."""
    draft = _locked(draft)
    _require(acting_user, draft.council, APPROVERS, NOT_AN_APPROVER)
    if draft.frozen:
        _require_editable(draft)
    quote = next((q for q in draft_quotes(draft) if q.compliment_id == compliment_id), None)
    if quote is None:
        raise DomainError(UNKNOWN_QUOTE, field="compliment")
    edited = approve and text is not None and text.strip() != quote.proposed
    if approve and text is not None:
        if not text.strip():
            raise DomainError(QUOTE_EMPTY, field="text")
        if len(text) > QUOTE_LIMIT:
            raise DomainError(QUOTE_TOO_LONG.format(limit=QUOTE_LIMIT), field="text")
    published = ""
    if approve:
        # Names are taken out of a reviewer's own version too: nothing they type can publish one.
        words = text.strip() if edited and text is not None else quote.proposed
        published = redact(words, names_to_redact(councils=[draft.council], texts=[words, quote.original]))
    review, _ = QuoteReview.objects.select_for_update().get_or_create(
        draft=draft,
        compliment_id=compliment_id,
        defaults={"source_sha256": "", "status": QuoteReview.Status.REJECTED, "reviewed_at": now},
    )
    before = {"status": review.status if review.source_sha256 else "waiting", "text": FreeText(review.text)}
    review.source_sha256 = quote_sha256(quote.original)
    review.status = QuoteReview.Status.APPROVED if approve else QuoteReview.Status.REJECTED
    review.text, review.edited = published, edited
    review.reviewed_by, review.reviewed_at = acting_user, now
    review.full_clean()
    review.save()
    event = (
        AuditEventType.REPORT_QUOTE_EDITED
        if edited
        else AuditEventType.REPORT_QUOTE_APPROVED
        if approve
        else AuditEventType.REPORT_QUOTE_REJECTED
    )
    audit_event_record(
        acting_user=acting_user,
        event_type=event,
        subject=draft,
        summary=f"{event.label}: {draft.council.name} {draft.get_procedure_display()} {draft.year_label}",
        before=before,
        after={"compliment": compliment_id, "status": review.status, "text": FreeText(review.text)},
    )
    return review


@dataclass(frozen=True)
class Reproduction:
    """One published file made again from the frozen JSON: whether it came out byte for byte the same."""

    file_format: str
    published_sha256: str
    reproduced_sha256: str

    @property
    def identical(self) -> bool:
        return self.published_sha256 == self.reproduced_sha256


def report_reproduce(*, draft: ReportDraft) -> list[Reproduction]:
    """Make every file of a published report again from its frozen JSON (never from the case data, which may
    have changed since) and compare each with the file published."""
    if not draft.frozen:
        raise DomainError(NOT_PUBLISHED)
    if sha256(draft.report_json.encode()) != draft.report_sha256:
        raise DomainError("The frozen figures no longer match their hash: tell your system administrator")
    report = report_thaw(json.loads(draft.report_json))
    files = _render_all(report, draft.min_cell if draft.min_cell is not None else min_cell_setting())
    published = {f.file_format: f.sha256 for f in draft.files.all()}
    return [Reproduction(str(fmt), published.get(str(fmt), ""), sha256(content)) for fmt, content in files.items()]

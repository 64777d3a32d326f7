"""The publication workflow: each transition and each refusal, the frozen document made again byte for byte after
the case data changed, and no placeholder, internal note or Markdown mark in what is published."""

import io
import json
import zipfile
from datetime import UTC, date, datetime

import docx
import pytest

from opencomplaints.accounts.tests.personas import member
from opencomplaints.audit.models import AuditEvent, AuditEventType
from opencomplaints.common.errors import DomainError
from opencomplaints.councils.models import Role
from opencomplaints.reporting import services
from opencomplaints.reporting.frozen import sha256
from opencomplaints.reporting.models import ContextFigures, ReportDraft
from opencomplaints.reporting.report import SECTION_KEYS, build_report, narrative_prompts
from opencomplaints.reporting.services.publication import draft_report
from opencomplaints.reporting.tests.builder import CaseBuilder, S
from opencomplaints.reporting.tests.helpers import inputs, sample_records

pytestmark = pytest.mark.django_db

NOW = datetime(2024, 5, 1, 10, 0, tzinfo=UTC)
CHILDREN = "children_statutory"


@pytest.fixture
def cases(council):
    b = CaseBuilder(council)
    b.complaint(S(1, date(2023, 4, 3), date(2023, 4, 14), "upheld"), teams=(("Fostering", "Children in Care"),))
    b.complaint(S(1, date(2023, 10, 3), date(2023, 10, 10), "not_upheld"))
    b.flush()


@pytest.fixture
def second_manager(council):
    return member(council, "manager.mina", "Mina", "Castellane", Role.COMPLAINTS_MANAGER)


def write_everything(draft, user):
    """A narrative for every section that asks for one, with Markdown marks and an internal note."""
    for section in narrative_prompts(draft_report(draft, generated_on=date(2024, 5, 1))):
        services.report_narrative_save(
            draft=draft,
            section=section,
            text=f"## {section.title()}\n\nThe **{section}** section, as *officers* wrote it (R1.40 item 8).\n"
            "- a point",
            note=f"Internal: check {section} with the team before committee",
            acting_user=user,
            now=NOW,
        )


def approved(council, officer, manager):
    draft = services.report_draft_start(council=council, procedure=CHILDREN, year=2023, acting_user=officer, now=NOW)
    write_everything(draft, officer)
    services.report_submit(draft=draft, acting_user=officer, now=NOW)
    return services.report_approve(draft=draft, acting_user=manager, now=NOW)


def published(council, officer, manager):
    return services.report_publish(draft=approved(council, officer, manager), acting_user=manager, now=NOW)


def test_every_section_a_report_has_is_known():
    keys = [s.key for s in build_report(inputs(sample_records()), generated_on=date(2024, 5, 1)).sections]
    assert keys == [k for k in SECTION_KEYS if k in keys]
    assert set(keys) >= set(SECTION_KEYS) - {"further_tables"}


def events(event_type):
    return AuditEvent.objects.filter(event_type=event_type)


class TestReportDraftStart:
    def test_an_officer_starts_a_draft(self, council, complaints_officer):
        draft = services.report_draft_start(
            council=council, procedure=CHILDREN, year=2023, acting_user=complaints_officer, now=NOW
        )
        assert draft.status == ReportDraft.Status.DRAFT
        assert draft.last_edited_by == complaints_officer
        assert events(AuditEventType.REPORT_DRAFT_STARTED).count() == 1

    def test_refusals(self, council, complaints_officer, report_viewer, other_council_officer):
        for user in (report_viewer, other_council_officer):
            with pytest.raises(DomainError, match="Only the complaints team of Borough of Exampleton"):
                services.report_draft_start(council=council, procedure=CHILDREN, year=2023, acting_user=user, now=NOW)
        with pytest.raises(DomainError, match="Choose the procedure"):
            services.report_draft_start(
                council=council, procedure="parking", year=2023, acting_user=complaints_officer, now=NOW
            )
        services.report_draft_start(
            council=council, procedure=CHILDREN, year=2023, acting_user=complaints_officer, now=NOW
        )
        with pytest.raises(DomainError, match="already being written"):
            services.report_draft_start(
                council=council, procedure=CHILDREN, year=2023, acting_user=complaints_officer, now=NOW
            )
        assert ReportDraft.objects.count() == 1


class TestReportNarrativeSave:
    def test_saves_and_refuses(self, council, cases, complaints_officer, report_viewer):
        draft = services.report_draft_start(
            council=council, procedure=CHILDREN, year=2023, acting_user=complaints_officer, now=NOW
        )
        narrative = services.report_narrative_save(
            draft=draft, section="summary", text="  A good year.  ", acting_user=complaints_officer, now=NOW
        )
        assert narrative.text == "A good year."
        summary = draft_report(draft, generated_on=date(2024, 5, 1)).sections[0]
        assert summary.sentences == ("A good year.",)
        assert summary.placeholders == ()
        with pytest.raises(DomainError, match="no section called nowhere"):
            services.report_narrative_save(
                draft=draft, section="nowhere", text="x", acting_user=complaints_officer, now=NOW
            )
        with pytest.raises(DomainError, match="Only the complaints team"):
            services.report_narrative_save(draft=draft, section="summary", text="x", acting_user=report_viewer, now=NOW)
        with pytest.raises(DomainError, match="20,000 characters"):
            services.report_narrative_save(
                draft=draft, section="summary", text="x" * 20_001, acting_user=complaints_officer, now=NOW
            )
        assert draft.narratives.get().text == "A good year."
        assert events(AuditEventType.REPORT_NARRATIVE_SAVED).count() == 1

    def test_context_figures_from_the_draft(self, council, cases, complaints_officer):
        draft = services.report_draft_start(
            council=council, procedure=CHILDREN, year=2023, acting_user=complaints_officer, now=NOW
        )
        services.report_context_figures_save(
            draft=draft, figures={"referrals": 4100, "population_0_17": 61000}, acting_user=complaints_officer, now=NOW
        )
        assert ContextFigures.objects.get(council=council, year=2023).referrals == 4100
        table = draft_report(draft, generated_on=date(2024, 5, 1)).table("context")
        assert table.cell("Referrals to children's social care", "2023/24") == 4100


class TestReportSubmitApproveReturn:
    def test_submit_needs_every_narrative(self, council, cases, complaints_officer):
        draft = services.report_draft_start(
            council=council, procedure=CHILDREN, year=2023, acting_user=complaints_officer, now=NOW
        )
        with pytest.raises(DomainError, match="Write the narrative for Summary, About this report, Context"):
            services.report_submit(draft=draft, acting_user=complaints_officer, now=NOW)
        write_everything(draft, complaints_officer)
        draft = services.report_submit(draft=draft, acting_user=complaints_officer, now=NOW)
        assert draft.status == ReportDraft.Status.SUBMITTED
        with pytest.raises(DomainError, match="waiting for approval: it cannot be changed"):
            services.report_narrative_save(
                draft=draft, section="summary", text="x", acting_user=complaints_officer, now=NOW
            )

    def test_approval_by_another_manager(self, council, cases, complaints_manager, second_manager, complaints_officer):
        draft = services.report_draft_start(
            council=council, procedure=CHILDREN, year=2023, acting_user=complaints_manager, now=NOW
        )
        write_everything(draft, complaints_manager)
        with pytest.raises(DomainError, match="Only a report waiting for approval"):
            services.report_approve(draft=draft, acting_user=second_manager, now=NOW)
        services.report_submit(draft=draft, acting_user=complaints_manager, now=NOW)
        with pytest.raises(DomainError, match="You changed this report last"):
            services.report_approve(draft=draft, acting_user=complaints_manager, now=NOW)
        with pytest.raises(DomainError, match="Only a complaints manager"):
            services.report_approve(draft=draft, acting_user=complaints_officer, now=NOW)
        draft = services.report_approve(draft=draft, acting_user=second_manager, now=NOW)
        assert draft.status == ReportDraft.Status.APPROVED
        assert draft.approved_by == second_manager
        assert events(AuditEventType.REPORT_APPROVED).count() == 1

    def test_return_with_a_comment(self, council, cases, complaints_officer, complaints_manager):
        draft = services.report_draft_start(
            council=council, procedure=CHILDREN, year=2023, acting_user=complaints_officer, now=NOW
        )
        write_everything(draft, complaints_officer)
        services.report_submit(draft=draft, acting_user=complaints_officer, now=NOW)
        with pytest.raises(DomainError, match="Say what needs changing"):
            services.report_return(draft=draft, comment="  ", acting_user=complaints_manager, now=NOW)
        with pytest.raises(DomainError, match="Only a complaints manager"):
            services.report_return(draft=draft, comment="No", acting_user=complaints_officer, now=NOW)
        draft = services.report_return(
            draft=draft, comment="Say more about late responses.", acting_user=complaints_manager, now=NOW
        )
        assert draft.status == ReportDraft.Status.DRAFT
        assert draft.returned_comment == "Say more about late responses."
        services.report_narrative_save(
            draft=draft, section="timeliness", text="Late responses fell.", acting_user=complaints_officer, now=NOW
        )
        assert events(AuditEventType.REPORT_RETURNED).count() == 1


class TestReportPublish:
    def test_refusals(self, council, cases, complaints_officer, complaints_manager):
        draft = services.report_draft_start(
            council=council, procedure=CHILDREN, year=2023, acting_user=complaints_officer, now=NOW
        )
        with pytest.raises(DomainError, match="Only an approved report"):
            services.report_publish(draft=draft, acting_user=complaints_manager, now=NOW)
        write_everything(draft, complaints_officer)
        services.report_submit(draft=draft, acting_user=complaints_officer, now=NOW)
        services.report_approve(draft=draft, acting_user=complaints_manager, now=NOW)
        with pytest.raises(DomainError, match="Only a complaints manager"):
            services.report_publish(draft=draft, acting_user=complaints_officer, now=NOW)
        early = datetime(2024, 3, 31, 22, 30, tzinfo=UTC)  # still 31 March in London (BST starts later)
        with pytest.raises(DomainError, match="ends on 31 March 2024"):
            services.report_publish(draft=draft, acting_user=complaints_manager, now=early)
        assert ReportDraft.objects.get().status == ReportDraft.Status.APPROVED

    def test_publishing_freezes_the_document(self, council, cases, complaints_officer, complaints_manager):
        draft = published(council, complaints_officer, complaints_manager)
        assert draft.status == ReportDraft.Status.PUBLISHED
        assert draft.published_by == complaints_manager
        assert sha256(draft.report_json.encode()) == draft.report_sha256
        assert len(draft.data_sha256) == 64
        files = {f.file_format: f for f in draft.files.all()}
        assert set(files) == {"html", "pdf", "docx", "xlsx"}
        for f in files.values():
            assert sha256(bytes(f.content)) == f.sha256
            assert f.size == len(bytes(f.content))
        frozen = json.loads(draft.report_json)
        assert frozen["published"] is True
        assert frozen["generated_on"] == "2024-05-01"
        with pytest.raises(DomainError, match=r"published: it cannot be changed\. Start a correction"):
            services.report_narrative_save(
                draft=draft, section="summary", text="x", acting_user=complaints_officer, now=NOW
            )
        assert events(AuditEventType.REPORT_PUBLISHED).count() == 1

    def test_the_published_text_is_plain_and_public(self, council, cases, complaints_officer, complaints_manager):
        draft = published(council, complaints_officer, complaints_manager)
        files = {f.file_format: bytes(f.content) for f in draft.files.all()}
        document = docx.Document(io.BytesIO(files["docx"]))
        text = "\n".join(p.text for p in document.paragraphs)
        html = files["html"].decode()
        for published_text in (text, html):
            assert "The summary section, as officers wrote it." in published_text
            assert "Internal: check" not in published_text
            assert "Officer narrative" not in published_text
            for mark in ("**", "## ", "- a point", "*officers*", "R1.40", "§"):
                assert mark not in published_text
        assert "Published on 1 May 2024" in text
        assert "a point" in text

    def test_made_again_byte_for_byte_after_the_case_data_changed(
        self, council, cases, complaints_officer, complaints_manager, settings
    ):
        draft = published(council, complaints_officer, complaints_manager)
        before = {f.file_format: bytes(f.content) for f in draft.files.all()}
        b = CaseBuilder(council)
        b.complaint(S(1, date(2023, 6, 1), date(2023, 6, 30), "upheld"))
        b.flush()
        settings.OPENCOMPLAINTS = {**settings.OPENCOMPLAINTS, "SUPPRESSION_MIN_CELL": 10}
        results = services.report_reproduce(draft=ReportDraft.objects.get(pk=draft.pk))
        assert [r.file_format for r in results] == ["html", "pdf", "docx", "xlsx"]
        assert all(r.identical for r in results), results
        assert {f.file_format: bytes(f.content) for f in draft.files.all()} == before
        # The case data did change: a report built now says so.
        assert draft_report(draft, generated_on=date(2024, 5, 1)).core["stages"]["1"]["received"] == 3
        assert json.loads(draft.report_json)["core"]["stages"]["1"]["received"] == 2

    def test_docx_and_xlsx_are_dated_the_day_of_publication(
        self, council, cases, complaints_officer, complaints_manager
    ):
        draft = published(council, complaints_officer, complaints_manager)
        for f in draft.files.filter(file_format__in=["docx", "xlsx"]):
            package = zipfile.ZipFile(io.BytesIO(bytes(f.content)))
            assert {i.date_time for i in package.infolist()} == {(2024, 5, 1, 0, 0, 0)}
            assert b"2024-05-01T00:00:00Z" in package.read("docProps/core.xml")

    def test_a_correction_supersedes_the_published_report(self, council, cases, complaints_officer, complaints_manager):
        first = published(council, complaints_officer, complaints_manager)
        correction = services.report_draft_start(
            council=council, procedure=CHILDREN, year=2023, acting_user=complaints_officer, now=NOW
        )
        assert correction.corrects == first
        assert correction.narratives.count() == first.narratives.count()
        services.report_narrative_save(
            draft=correction, section="summary", text="Corrected summary.", acting_user=complaints_officer, now=NOW
        )
        services.report_submit(draft=correction, acting_user=complaints_officer, now=NOW)
        services.report_approve(draft=correction, acting_user=complaints_manager, now=NOW)
        services.report_publish(draft=correction, acting_user=complaints_manager, now=NOW)
        first.refresh_from_db()
        assert first.status == ReportDraft.Status.SUPERSEDED
        assert first.superseded_at == NOW
        assert first.files.count() == 4  # the superseded report stays, downloadable as it was
        assert all(r.identical for r in services.report_reproduce(draft=first))
        assert events(AuditEventType.REPORT_SUPERSEDED).count() == 1

    def test_a_draft_cannot_be_reproduced(self, council, complaints_officer):
        draft = services.report_draft_start(
            council=council, procedure=CHILDREN, year=2023, acting_user=complaints_officer, now=NOW
        )
        with pytest.raises(DomainError, match="Only a published report"):
            services.report_reproduce(draft=draft)

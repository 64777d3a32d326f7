"""The guard: no audit row holds words a person wrote or a person's name (docs/adr/0006-retention.md).

One scenario calls every service that records an event on a case (and the search, the one read that takes words),
giving every free-text value and every name the same distinctive word, then reads every audit row: the word is in no
summary, ``before`` or ``after``. A new kind of event recorded on a case fails the coverage check at the end until the
scenario calls the service that records it, so a service added later cannot leave free text on the trail unnoticed.
"""

import json
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from opencomplaints.accounts.tests.personas import member
from opencomplaints.audit.models import AuditEvent, AuditEventText, AuditEventType
from opencomplaints.cases import constants as c
from opencomplaints.cases.models import CaseComplainant, Recommendation
from opencomplaints.cases.services import (
    ChildInput,
    ComplainantInput,
    ComplimentInput,
    EnquirerInput,
    LateAcceptance,
    PersonInput,
    RecommendationInput,
    case_access_grant,
    case_access_revoke,
    case_break_glass,
    case_owner_change,
    case_receipt_correct,
    case_restrict,
    case_support_record,
    case_unrestrict,
    complainant_sufficient_interest_decide,
    complaint_accept,
    complaint_close,
    complaint_decline,
    complaint_escalate,
    complaint_register,
    complaint_reopen,
    complaint_withdraw,
    learning_action_complete,
    learning_action_create,
    learning_action_not_implemented,
    learning_action_update,
    ombudsman_case_register,
    ombudsman_compliance_record,
    ombudsman_decision_record,
    ombudsman_enquiry_respond,
    remedy_record,
    representation_register,
    representation_respond,
    stage2_adjudicate,
    stage2_appoint,
    stage2_report_receive,
    stage2_statement_agree,
    stage3_panel_appoint,
    stage3_panel_record,
    stage3_report_record,
    stage3_respond,
    stage_acknowledge,
    stage_extend,
    stage_hold,
    stage_respond,
    stage_resume,
)
from opencomplaints.cases.tests import factories as f
from opencomplaints.casework.services import document_download_record, document_upload
from opencomplaints.correspondence.models import LetterChannel
from opencomplaints.correspondence.services import (
    letter_draft_save,
    letter_send,
    letter_settings_save,
    letter_template_save,
    letters_mark_printed,
)
from opencomplaints.correspondence.steps import Audience, StepKey
from opencomplaints.councils.models import CorporateProcedure, Role
from opencomplaints.councils.tests.factories import RemedyTypeFactory
from opencomplaints.notifications.models import Message, MessageTemplate
from opencomplaints.notifications.rendering import placeholders
from opencomplaints.notifications.senders import SendError
from opencomplaints.notifications.services import message_mark_sent, message_queue, outbox_send_pending
from opencomplaints.portal.models import FollowToken
from opencomplaints.portal.services import (
    ComplaintSubmission,
    ComplimentSubmission,
    follow_token_revoke,
    portal_complaint_submit,
    portal_compliment_submit,
    portal_document_add,
    portal_feedback_give,
)
from opencomplaints.retention.services import legal_hold_lift, legal_hold_place

pytestmark = pytest.mark.django_db

# In every name, note, reason, description and file name the scenario gives.
WORD = "Zorblaxian"
PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n%%EOF\n"

# Events never on a case (sign-in, configuration, reports, imports), which the scenario need not produce.
NOT_ON_A_CASE = frozenset(
    {
        *(t for t in AuditEventType if 400 <= t < 700 or 1000 <= t < 1100 or t >= 1300),
        AuditEventType.REPORT_GENERATED,
        AuditEventType.REPORT_FILE_DOWNLOADED,
        # A council's letter wording and letterhead: council text, no case (still checked for words below).
        AuditEventType.LETTER_TEMPLATE_SAVED,
        AuditEventType.LETTER_SETTINGS_SAVED,
    }
)
# Events on a case the scenario does not produce, and why that is safe.
NOT_IN_THE_SCENARIO = {
    # Written by the retention itself, with counts only (retention/tests/test_retention.py).
    AuditEventType.CASE_ANONYMISED,
}


def words(label: str) -> str:
    return f"{WORD} {label}"


def person(label: str, **extra: object) -> PersonInput:
    return PersonInput(
        first_name=WORD,
        last_name=f"{WORD}-{label}",
        email=f"{WORD.lower()}.{label}@example.org",
        address=words("Street\nExampleton"),
        **extra,  # type: ignore[arg-type]
    )


class Sender:
    """Takes every message, or refuses each one for good."""

    name = "test"

    def __init__(self, *, refuse: bool = False) -> None:
        self.refuse = refuse

    def send(self, message: object) -> str:
        if self.refuse:
            raise SendError(words("provider refused it"), permanent=True)
        return "provider-1"


def _children_complaint(council, user, officers):
    investigating_officer, independent_person, adjudicator, panel = officers
    case = complaint_register(
        council=council,
        acting_user=user,
        received_date=date(2022, 5, 26),
        complainants=[
            ComplainantInput(
                person=person("parent"),
                complainant_type=c.ComplainantType.PARENT_RELATIVE,
                eligibility_basis=c.EligibilityBasis.PARENT,
            ),
            ComplainantInput(
                person=person("aunt"),
                complainant_type=c.ComplainantType.PARENT_RELATIVE,
                eligibility_basis=c.EligibilityBasis.SUFFICIENT_INTEREST,
            ),
        ],
        children=[ChildInput(person=person("child", date_of_birth=date(2012, 3, 4)))],
        summary=words("summary of the complaint"),
        grounds_arose_date=date(2021, 1, 4),
        late_acceptance=LateAcceptance(
            accepted=True,
            not_reasonable_to_expect_reason=words("was in hospital"),
            still_possible_reason=words("records are kept"),
        ),
        advocacy_offered=True,
        advocacy_provided=True,
        advocate_name=words("advocate"),
        advocate_organisation=words("advocacy service"),
    )
    aunt = CaseComplainant.objects.get(case=case, is_primary=False)
    complainant_sufficient_interest_decide(
        complainant=aunt, acting_user=user, has_interest=True, decided_date=date(2022, 5, 27), child_consulted=True
    )
    complaint_accept(case=case, acting_user=user)
    case_support_record(
        case=case,
        acting_user=user,
        mediation=c.Mediation.NONE,
        advocacy_offered=True,
        advocacy_provided=True,
        advocate_name=words("new advocate"),
        advocate_organisation=words("advocacy service"),
    )
    case_receipt_correct(case=case, acting_user=user, received_date=date(2022, 5, 25), reason=words("date typed"))
    stage1 = f.stage(case, 1)
    for due, reason in ((date(2022, 6, 20), "first reason"), (date(2022, 6, 21), "second reason")):
        stage_extend(
            stage=stage1,
            acting_user=user,
            extended_due_date=due,
            reason=words(reason),
            notified_date=date(2022, 6, 8),
        )
    stage_hold(
        stage=stage1,
        acting_user=user,
        start_date=date(2022, 6, 9),
        reason=c.HoldReason.AWAITING_ADVOCATE,
        note=words("hold note"),
    )
    stage_resume(stage=stage1, acting_user=user, end_date=date(2022, 6, 13))
    stage_respond(stage=stage1, acting_user=user, response_date=date(2022, 6, 17), outcome=c.Outcome.NOT_UPHELD)
    stage2 = complaint_escalate(
        case=case,
        acting_user=user,
        request_received_date=date(2022, 8, 1),
        late_request_accepted=True,
        late_request_reason=words("late request reason"),
    )
    stage2_appoint(
        stage=stage2,
        acting_user=user,
        appointed_date=date(2022, 8, 2),
        investigating_officer=investigating_officer,
        independent_person=independent_person,
    )
    for agreed, points in ((date(2022, 8, 4), ["first point"]), (date(2022, 8, 5), ["point one", "point two"])):
        stage2_statement_agree(
            stage=stage2, acting_user=user, agreed_date=agreed, points=[words(point) for point in points]
        )
    stage2_report_receive(stage=stage2, acting_user=user, report_date=date(2022, 8, 25))
    stage2_adjudicate(
        stage=stage2,
        acting_user=user,
        adjudicator=adjudicator,
        adjudication_date=date(2022, 9, 1),
        findings=dict.fromkeys(case.points.all(), c.Finding.NOT_UPHELD),
        recommendations=[RecommendationInput(text=words("recommendation"), accepted=False, reason=words("no"))],
    )
    stage3 = complaint_escalate(case=case, acting_user=user, request_received_date=date(2022, 9, 8))
    stage3_panel_appoint(stage=stage3, acting_user=user, chair=panel[0], members=panel[1:])
    stage3_panel_record(stage=stage3, acting_user=user, panel_date=date(2022, 10, 10))
    for recommendation in ("first panel recommendation", "panel recommendation"):
        stage3_report_record(
            stage=stage3, acting_user=user, report_date=date(2022, 10, 13), recommendations=[words(recommendation)]
        )
    stage3_respond(
        stage=stage3,
        acting_user=user,
        response_date=date(2022, 10, 28),
        findings=dict.fromkeys(case.points.all(), c.Finding.UPHELD),
        recommendation_responses={Recommendation.objects.get(stage=stage3): (False, words("not followed"))},
    )
    payment = RemedyTypeFactory.create(council=council, code="financial", name="Financial remedy", is_financial=True)
    remedy_record(
        case=case, acting_user=user, remedy_type=payment, amount=Decimal(150), description=words("paid to the aunt")
    )
    action = learning_action_create(
        council=council, acting_user=user, finding=words("finding"), action=words("action"), cases=[case]
    )
    learning_action_update(action=action, acting_user=user, action_text=words("changed action"))
    learning_action_not_implemented(action=action, acting_user=user, reason=words("no budget"))
    other = learning_action_create(
        council=council, acting_user=user, finding=words("finding"), action=words("training"), cases=[case]
    )
    learning_action_complete(
        action=other, acting_user=user, implemented_date=date(2022, 11, 1), evidence=words("evidence")
    )
    complaint_reopen(
        case=case,
        acting_user=user,
        reason=words("reopened because"),
        reopened_date=date(2022, 11, 1),
        reopen_stage=False,
    )
    complaint_close(case=case, acting_user=user, closed_date=date(2022, 11, 2))
    return case


def _messages(case, user):
    template = MessageTemplate.objects.get(key="acknowledgement")
    for n, refuse in ((1, False), (2, True)):
        message_queue(
            template_key="acknowledgement",
            recipient=f"{WORD.lower()}.{n}@example.org",
            personalisation=dict.fromkeys(placeholders(template.subject + template.body), words("Dear")),
            idempotency_key=f"guard:{n}",
            case=case,
            acting_user=user,
        )
        outbox_send_pending(now=timezone.now(), sender=Sender(refuse=refuse))
    message_mark_sent(message=Message.objects.get(idempotency_key="guard:2"), acting_user=user, sent_at=timezone.now())


def _restrictions(council, case, user, officer):
    other_manager = member(council, "manager.max", "Max", "Penrose", Role.COMPLAINTS_MANAGER)
    case_restrict(case=case, acting_user=user, reason=words("about a colleague"), named_users=[officer])
    grant = case_access_grant(
        case=case, user=other_manager, acting_user=user, reason=words("needs to see it"), now=timezone.now()
    )
    case_access_revoke(grant=grant, acting_user=user)
    case_break_glass(case=case, acting_user=other_manager, reason=words("emergency"))
    case_unrestrict(case=case, acting_user=user, reason=words("lifted"))
    case_owner_change(case=case, acting_user=user, owner=other_manager, reason=words("new owner"))


def _other_kinds(council, user, complaint):
    skipped = complaint_register(
        council=council,
        acting_user=user,
        received_date=date(2022, 5, 26),
        complainants=[ComplainantInput(person=person("skipper"))],
        start_stage=2,
        stage1_skipped_reason=words("skipped stage 1"),
    )
    complaint_decline(
        case=skipped,
        acting_user=user,
        reason=c.DeclineReason.OUT_OF_SCOPE,
        decided_date=date(2022, 5, 30),
        redirected_to=c.Route.CORPORATE,
        note=words("decline note"),
    )
    withdrawn = f.accepted(council, user, complainants=[ComplainantInput(person=person("withdrawer"))])
    complaint_withdraw(case=withdrawn, acting_user=user, withdrawn_date=date(2022, 6, 1), note=words("withdrawn"))
    corporate = f.accepted(
        council,
        user,
        procedure=c.Procedure.CORPORATE,
        corporate_procedure=CorporateProcedure.objects.filter(council=council).first(),
    )
    stage_acknowledge(stage=f.stage(corporate, 1), acting_user=user, acknowledged_date=date(2022, 5, 27))
    enquiry = representation_register(
        council=council,
        acting_user=user,
        kind=c.Kind.MP_ENQUIRY,
        received_date=date(2022, 5, 26),
        topic=words("topic"),
        summary=words("enquiry summary"),
        enquirer=EnquirerInput(enquirer_type=c.EnquirerType.MP, name=words("MP"), constituency_or_ward=WORD),
    )
    representation_respond(case=enquiry, acting_user=user, responded_date=date(2022, 6, 1))
    representation_register(
        council=council,
        acting_user=user,
        kind=c.Kind.COMPLIMENT,
        received_date=date(2022, 5, 26),
        compliment=ComplimentInput(about_person=words("social worker"), quote=words("thank you")),
    )
    ombudsman = ombudsman_case_register(
        council=council,
        acting_user=user,
        received_date=date(2022, 12, 1),
        lgsco_reference="22 000 001",
        complaint=complaint,
        enquiry_due_date=date(2022, 12, 20),
        summary=words("Ombudsman summary"),
    )
    ombudsman_enquiry_respond(case=ombudsman, acting_user=user, responded_date=date(2022, 12, 15))
    ombudsman_decision_record(
        case=ombudsman,
        acting_user=user,
        decision=c.LgscoDecision.UPHELD_FAULT_INJUSTICE,
        decision_date=date(2023, 2, 1),
        decision_label=words("the Ombudsman's words"),
        recommended_payment=Decimal(200),
        compliance_due_date=date(2023, 3, 1),
    )
    ombudsman_compliance_record(case=ombudsman, acting_user=user, complied_date=date(2023, 2, 20))


def _working_day(council, case, user):
    """A call logged and corrected, the case's, complainant's and child's details corrected, and emails received,
    filed and discarded: every word is the person's, so it goes beside the audit rows, never in them."""
    from opencomplaints.cases.services.details import (
        case_details_change,
        child_details_change,
        complainant_details_change,
    )
    from opencomplaints.cases.services.notes import case_note_add, case_note_change
    from opencomplaints.correspondence.inbound import inbound_email_discard, inbound_email_file, inbound_email_receive

    now = timezone.now()
    note = case_note_add(
        case=case, acting_user=user, kind="call", occurred_at=now, summary=words("called"), with_whom=words("aunt")
    )
    case_note_change(
        note=note, acting_user=user, kind="call", occurred_at=now, summary=words("called back"), with_whom=WORD
    )
    case_details_change(case=case, acting_user=user, values={"summary": words("corrected summary")})
    complainant = case.complainants.first()
    complainant_details_change(
        complainant=complainant, acting_user=user, values={"first_name": f"{WORD}x", "email": f"{WORD}.x@example.org"}
    )
    child = case.children.first()
    if child is not None:
        child_details_change(child=child, acting_user=user, values={"first_name": f"{WORD}y"})
    raw = (
        f"From: {WORD} <{WORD.lower()}@example.org>\r\nTo: complaints@example.org\r\n"
        f"Subject: {words('about')}\r\nMessage-ID: <m{{}}@example.org>\r\n\r\n{words('body')}\r\n"
    )
    first, _ = inbound_email_receive(
        council=council, raw=raw.format(1).encode(), source="mailbox", received_at=now, acting_user=user
    )
    inbound_email_file(email=first, case=case, acting_user=user, now=now)
    second, _ = inbound_email_receive(
        council=council, raw=raw.format(2).encode(), source="mailbox", received_at=now, acting_user=user
    )
    inbound_email_discard(email=second, reason=words("spam"), acting_user=user, now=now)


def _letters(council, case, user):
    """A council's letter wording and letterhead saved, then a letter to the complainant written, sent for post and
    printed: the recipient, subject and words are the person's, so they go beside the audit rows, never in them."""
    now = timezone.now()
    letter_settings_save(
        council=council,
        acting_user=user,
        letterhead=words("letterhead"),
        signature=words("signature"),
        advocacy=words("advocacy"),
        support=words("support"),
        ombudsman=words("ombudsman"),
    )
    letter_template_save(
        council=council,
        step=StepKey.HOLD,
        audience=Audience.ADULT,
        subject=words("subject"),
        body=words("body"),
        acting_user=user,
        now=now,
    )
    letter = letter_draft_save(
        case=case,
        acting_user=user,
        step=StepKey.HOLD,
        audience=Audience.ADULT,
        channel=LetterChannel.POST,
        recipient=words("1 High Street"),
        subject=words("your complaint"),
        body=words("we have put your complaint on hold"),
        template_version=None,
    )
    letter = letter_send(letter=letter, acting_user=user, now=now)
    letters_mark_printed(letters=[letter], acting_user=user, now=now)


def _portal(council, user):
    submitted = portal_complaint_submit(
        council=council,
        answers=ComplaintSubmission(
            version="adult",
            relationship="parent",
            child_first_name=WORD,
            child_last_name=words("child"),
            what_happened=words("what happened"),
            put_right=words("put it right"),
            advocate="have_one",
            advocate_name=words("portal advocate"),
            contact="email",
            first_name=WORD,
            last_name=words("portal"),
            email=f"{WORD.lower()}.portal@example.org",
        ),
        received_at=timezone.now(),
    )
    case = submitted.case
    token = FollowToken.objects.get(case=case)
    portal_document_add(
        token=token, file=SimpleUploadedFile(f"{WORD} evidence.pdf", PDF), description=words("from the portal")
    )
    complaint_accept(case=case, acting_user=user)
    stage_respond(
        stage=f.stage(case, 1), acting_user=user, response_date=timezone.localdate(), outcome=c.Outcome.UPHELD
    )
    portal_feedback_give(token=token, rating="satisfied", comments=words("feedback"))
    follow_token_revoke(token=token, acting_user=user, now=timezone.now())
    portal_compliment_submit(
        council=council,
        answers=ComplimentSubmission(
            quote=words("portal compliment"), about_person=words("person praised"), name=WORD, email="z@example.org"
        ),
        received_at=timezone.now(),
    )


def test_no_audit_row_holds_a_persons_words_or_name(
    client,
    council,
    complaints_manager,
    complaints_officer,
    investigating_officer,
    independent_person,
    adjudicator,
    panel_members,
):
    user = complaints_manager
    case = _children_complaint(council, user, (investigating_officer, independent_person, adjudicator, panel_members))
    document = document_upload(
        case=case,
        acting_user=user,
        file=SimpleUploadedFile(f"Letter to {WORD}.pdf", PDF),
        description=words("description"),
        kind="letter",
    )
    document_download_record(document=document, acting_user=user)
    _messages(case, user)
    _restrictions(council, case, user, complaints_officer)
    legal_hold_place(case=case, reason=words("claim in court"), acting_user=user)
    legal_hold_lift(case=case, acting_user=user)
    _other_kinds(council, user, case)
    _portal(council, user)
    _letters(council, case, user)
    _working_day(council, case, user)
    client.force_login(user)
    assert client.get(reverse("tracker:search"), {"q": WORD}).status_code == 200
    assert client.get(reverse("casework:case-detail", args=[case.pk])).status_code == 200
    assert client.get(reverse("casework:case-access-log", args=[case.pk])).status_code == 200
    message = Message.objects.get(idempotency_key="guard:2")
    assert client.get(reverse("casework:message-detail", args=[case.pk, message.pk])).status_code == 200
    assert client.get(reverse("tracker:case-export")).status_code == 200

    rows = list(AuditEvent.objects.order_by("id"))
    for row in rows:
        stored = json.dumps([row.summary, row.before, row.after], ensure_ascii=False)
        assert WORD.lower() not in stored.lower(), f"{row.event_type_label}: {stored}"

    # The words themselves are kept beside the rows of the case, for its timeline, where the retention removes them.
    kept = AuditEventText.objects.filter(event__case=case)
    assert kept.filter(path="reason", event__event_type=AuditEventType.CASE_REOPENED).get().text == words(
        "reopened because"
    )
    assert [t.text for t in kept if WORD.lower() not in t.text.lower()] == []

    produced = {row.event_type for row in rows}
    expected = set(AuditEventType) - NOT_ON_A_CASE - NOT_IN_THE_SCENARIO
    assert {AuditEventType(t).label for t in expected - produced} == set(), "add the service to the scenario"

"""The case pages as each role sees them, emergency access, restricting a case, and "who has seen this case"."""

import pytest
from django.urls import reverse

from opencomplaints.audit.models import AuditEvent, AuditEventType
from opencomplaints.audit.selectors import event_text
from opencomplaints.audit.services import audit_events_redact
from opencomplaints.cases.models import Case, CaseAccessGrant
from opencomplaints.cases.tests.access_world import world_fixture

pytestmark = pytest.mark.django_db

world = pytest.fixture(scope="module")(world_fixture)


@pytest.fixture
def as_user(client, world, settings):
    settings.MEDIA_ROOT = world.media_root

    def sign_in(name):
        client.force_login(world.users[name])
        return client

    return sign_in


def page(case):
    return reverse("casework:case-detail", args=[case.pk])


def reads(case, event_type):
    return AuditEvent.objects.filter(case=case, event_type=event_type)


# -- the case page, as each role sees it -----------------------------------------------------------------------


def test_viewing_a_case_is_recorded(as_user, world):
    as_user("complaints_officer").get(page(world.stage1))
    [event] = reads(world.stage1, AuditEventType.CASE_VIEWED)
    assert event.acting_user == world.users["complaints_officer"]
    assert event.after == {"role": "complaints_officer", "break_glass": False}
    # Reads are not changes: the timeline does not list them.
    timeline = as_user("complaints_officer").get(page(world.stage1)).content.decode().split('id="timeline"')[1]
    assert "Case viewed" not in timeline


def test_an_external_investigating_officer_sees_only_stage_2(as_user, world):
    html = as_user("investigating_officer").get(page(world.stage2)).content.decode()
    assert "stage2-report.txt" in html
    assert "stage1-response.txt" not in html
    assert "Stage 1:" not in html
    assert 'id="remedies"' not in html
    assert 'id="timeline"' not in html
    assert 'id="messages"' not in html
    assert "Upload a document" in html
    assert "What you can do next" not in html  # the procedure's steps are the complaints team's


def test_a_complaints_officer_sees_everything_but_who_has_seen(as_user, world):
    html = as_user("complaints_officer").get(page(world.stage2)).content.decode()
    assert "stage1-response.txt" in html
    assert 'id="timeline"' in html
    assert "Appoint the investigating officer" in html
    assert "Who has seen this case" not in html


def test_a_complaints_manager_is_offered_who_has_seen(as_user, world):
    html = as_user("complaints_manager").get(page(world.stage2)).content.decode()
    assert reverse("casework:case-access-log", args=[world.stage2.pk]) in html


def test_the_investigating_manager_is_offered_only_their_steps(as_user, world):
    html = as_user("investigating_manager").get(page(world.stage1)).content.decode()
    assert "Record the stage 1 response" in html
    assert "Do not accept the complaint" not in html
    assert "Propose a remedy" not in html


def test_a_document_of_another_stage_is_not_found(as_user, world):
    client = as_user("investigating_officer")
    own = world.documents["stage2"]
    other = world.documents["stage2_stage1"]
    assert client.get(reverse("casework:document-download", args=[world.stage2.pk, own.pk])).status_code == 200
    assert client.get(reverse("casework:document-download", args=[world.stage2.pk, other.pk])).status_code == 404


def test_an_action_the_role_may_not_use_is_refused_and_changes_nothing(as_user, world):
    client = as_user("investigating_officer")
    stage = world.stage2.stages.get(number=2)
    url = reverse("casework:stage2-report", args=[world.stage2.pk, stage.pk])
    before = AuditEvent.objects.count()
    assert client.get(url).status_code == 403
    response = client.post(url, {"report_date_0": "1", "report_date_1": "8", "report_date_2": "2022"})
    assert response.status_code == 403
    assert "You cannot do this on" in response.content.decode()
    assert AuditEvent.objects.count() == before


def test_an_appointee_files_a_document_on_their_stage(as_user, world):
    client = as_user("independent_person")
    url = reverse("casework:document-upload", args=[world.stage2.pk])
    response = client.post(url, {"kind": "other"})
    assert response.status_code == 400
    assert "Select the stage it is about" in response.content.decode()
    assert "The whole case" not in response.content.decode()


# -- restricted cases ------------------------------------------------------------------------------------------


def test_a_manager_not_named_is_sent_to_ask_for_emergency_access(as_user, world):
    response = as_user("complaints_manager").get(page(world.restricted))
    assert response.status_code == 302
    assert response.url == reverse("casework:case-break-glass", args=[world.restricted.pk])


def test_anyone_else_finds_nothing(as_user, world):
    for name in ("investigating_manager", "adjudicator", "report_viewer", "other_council_officer"):
        client = as_user(name)
        assert client.get(page(world.restricted)).status_code == 404
        assert client.get(reverse("casework:case-break-glass", args=[world.restricted.pk])).status_code == 404


def test_break_glass_asks_for_a_reason_shows_nothing_first_and_records_it(as_user, world):
    client = as_user("complaints_manager")
    url = reverse("casework:case-break-glass", args=[world.restricted.pk])
    form = client.get(url).content.decode()
    complainant = world.restricted.complainants.get().person
    assert complainant.last_name not in form
    assert "Your name, the time and your reason are recorded" in form

    empty = client.post(url, {"reason": ""})
    assert empty.status_code == 400
    assert "Enter why you need to see this case now" in empty.content.decode()
    assert not reads(world.restricted, AuditEventType.BREAK_GLASS).exists()

    done = client.post(url, {"reason": "The Ombudsman needs our reply today"})
    assert done.status_code == 302
    [event] = reads(world.restricted, AuditEventType.BREAK_GLASS)
    assert event_text(event, "reason") == "The Ombudsman needs our reply today"
    html = client.get(page(world.restricted)).content.decode()
    assert complainant.last_name in html
    assert "with emergency access until" in html
    viewed = reads(world.restricted, AuditEventType.CASE_VIEWED).get()
    assert viewed.after["break_glass"] is True


def test_restricting_naming_and_removing_through_the_pages(as_user, world):
    client = as_user("complaints_manager")
    case = world.stage1
    officer = world.users["complaints_officer"]
    CaseAccessGrant.objects.filter(case=case).delete()
    response = client.post(
        reverse("casework:case-restrict", args=[case.pk]), {"reason": "About a team manager", "named_users": []}
    )
    assert response.status_code == 302
    assert Case.objects.get(pk=case.pk).restricted
    assert as_user("complaints_officer").get(page(case)).status_code == 404

    client = as_user("complaints_manager")
    response = client.post(
        reverse("casework:case-access-grant", args=[case.pk]), {"user": officer.pk, "reason": "Answers it"}
    )
    assert response.status_code == 302
    assert as_user("complaints_officer").get(page(case)).status_code == 200

    grant = CaseAccessGrant.objects.get(case=case, user=officer, revoked_at__isnull=True)
    client = as_user("complaints_manager")
    assert client.get(reverse("casework:case-access-revoke", args=[case.pk, grant.pk])).status_code == 200
    assert client.post(reverse("casework:case-access-revoke", args=[case.pk, grant.pk])).status_code == 302
    assert as_user("complaints_officer").get(page(case)).status_code == 404


def test_restricting_without_a_reason_is_an_error_on_the_field(as_user, world):
    response = as_user("complaints_manager").post(reverse("casework:case-restrict", args=[world.stage1.pk]), {})
    assert response.status_code == 400
    assert "Enter why the case is restricted" in response.content.decode()
    assert not Case.objects.get(pk=world.stage1.pk).restricted


# -- who has seen this case ------------------------------------------------------------------------------------


def test_who_has_seen_lists_who_when_what_and_why(as_user, world):
    as_user("complaints_officer").get(page(world.stage2))
    as_user("investigating_officer").get(
        reverse("casework:document-download", args=[world.stage2.pk, world.documents["stage2"].pk])
    )
    response = as_user("complaints_manager").get(reverse("casework:case-access-log", args=[world.stage2.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Ola Pennington" in html
    assert "Case viewed" in html
    assert "Indira Vale" in html
    assert "Document downloaded" in html
    assert reads(world.stage2, AuditEventType.ACCESS_LOG_VIEWED).get().acting_user == world.users["complaints_manager"]


def test_who_has_seen_shows_the_reason_for_emergency_access(as_user, world):
    as_user("complaints_manager").post(
        reverse("casework:case-break-glass", args=[world.restricted.pk]), {"reason": "Safeguarding concern"}
    )
    html = as_user("second_manager").get(reverse("casework:case-access-log", args=[world.restricted.pk])).content
    assert "Safeguarding concern" in html.decode()
    assert "Emergency access" in html.decode()


def test_who_has_seen_says_when_the_reason_was_removed_after_the_retention_period(as_user, world):
    as_user("complaints_manager").post(
        reverse("casework:case-break-glass", args=[world.restricted.pk]), {"reason": "Safeguarding concern"}
    )
    audit_events_redact(case_id=world.restricted.pk, acting_user=None)
    html = as_user("second_manager").get(reverse("casework:case-access-log", args=[world.restricted.pk])).content
    assert "Removed after the retention period" in html.decode()
    # The grant keeps its reason, as the record of who could see the case (docs/adr/0006-retention.md).
    assert CaseAccessGrant.objects.filter(case=world.restricted, reason="Safeguarding concern").exists()


def test_who_has_seen_is_for_complaints_managers(as_user, world):
    url = reverse("casework:case-access-log", args=[world.stage2.pk])
    assert as_user("complaints_officer").get(url).status_code == 403
    assert as_user("investigating_officer").get(url).status_code == 403
    assert as_user("other_council_officer").get(url).status_code == 404

"""Every kind of message has first words, and the migrations put them in the database for administrators to change."""

import pytest

from opencomplaints.notifications.defaults import DEFAULT_TEMPLATES
from opencomplaints.notifications.models import MessageTemplate, TemplateKey
from opencomplaints.notifications.rendering import placeholders

pytestmark = pytest.mark.django_db


def test_every_kind_of_message_has_default_words_seeded():
    assert sorted(key for key, _, _ in DEFAULT_TEMPLATES) == sorted(TemplateKey.values)
    seeded = {t.key: (t.subject, t.body) for t in MessageTemplate.objects.all()}
    assert seeded == {key: (subject, body) for key, subject, body in DEFAULT_TEMPLATES}


def test_the_security_notice_asks_only_for_what_changed_and_when():
    template = MessageTemplate.objects.get(key=TemplateKey.SECURITY_NOTICE)
    assert template.subject == "Change to your sign-in security"
    assert placeholders(template.subject + template.body) == ["name", "change", "when"]
    assert "contact your system administrator" in template.body

"""`opencomplaints demo` serves without two-factor sign-in, and never with the production settings."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

pytestmark = pytest.mark.django_db


def test_the_demonstration_turns_two_factor_off(settings, monkeypatch, capsys):
    settings.OPENCOMPLAINTS = dict(settings.OPENCOMPLAINTS)
    ran = []
    monkeypatch.setattr(
        "opencomplaints.web.management.commands.demo.call_command", lambda name, *a, **k: ran.append(name)
    )
    monkeypatch.setattr("opencomplaints.web.management.commands.demo.get_commands", dict)
    call_command("demo")
    assert ran == ["migrate", "serve"]
    assert settings.OPENCOMPLAINTS["REQUIRE_TWO_FACTOR"] is False
    assert "Two-factor sign-in is off in this demonstration" in capsys.readouterr().out


def test_the_demonstration_refuses_the_production_settings(settings):
    settings.SETTINGS_MODULE = "opencomplaints.config.settings.production"
    with pytest.raises(CommandError, match="production settings"):
        call_command("demo", "--no-serve")

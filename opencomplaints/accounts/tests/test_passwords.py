"""Passwords are hashed with Argon2 (the test settings use a fast hasher; these tests read the real settings)."""

from django.contrib.auth.hashers import check_password, make_password

from opencomplaints.config.settings import base


def test_argon2_hashes_new_passwords():
    assert base.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


def test_the_argon2_hasher_works_here(settings):
    settings.PASSWORD_HASHERS = base.PASSWORD_HASHERS
    hashed = make_password("correct-horse-battery-staple")
    assert hashed.startswith("argon2$argon2id$")
    assert check_password("correct-horse-battery-staple", hashed)

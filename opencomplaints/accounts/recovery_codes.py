"""Recovery codes: single-use codes a person saves when they set up their authenticator app, to sign in with when
they cannot use the app (a lost, broken or replaced phone). See docs/adr/0007-recovery-codes.md.

They are django-otp's static tokens (``StaticDevice`` holding ``StaticToken`` rows), so the plugin's device,
throttling (1, 2, 4, 8… seconds after wrong codes) and delete-on-use are django-otp's own, and a session verified by a
recovery code is verified exactly as one verified by the app. django-otp stores static tokens as typed and compares
them by equality, so what is stored here is not the code but a slow hash of it (:func:`recovery_code_hash`), and every
code a person types is hashed the same way before the device compares it (:func:`recovery_code_check`). Never pass
what someone typed to ``StaticDevice.verify_token`` (or ``django_otp.match_token``) directly.

A code is ten characters of Crockford's base 32 (digits and lower-case letters without i, l, o and u: 50 bits),
shown as two groups of five, ``7k2mq-9xwbd``. Case, spaces and hyphens are ignored when one is typed in, and the
letters o, i and l are read as the digits 0, 1 and 1 they are easily mistaken for.

Nothing here records audit events: the services in ``accounts.services`` do.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from base64 import b32encode

from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

from opencomplaints.accounts.models import User
from opencomplaints.accounts.two_factor import CodeCheck

__all__ = [
    "RECOVERY_CODES_LOW",
    "RECOVERY_CODE_COUNT",
    "RECOVERY_DEVICE_NAME",
    "recovery_code_check",
    "recovery_code_format",
    "recovery_code_generate",
    "recovery_code_hash",
    "recovery_code_normalise",
    "recovery_codes_remaining",
    "recovery_codes_replace",
    "recovery_device",
]

RECOVERY_CODE_COUNT = 10
# With this many codes or fewer left, people are asked to make a new set.
RECOVERY_CODES_LOW = 3
RECOVERY_DEVICE_NAME = "Recovery codes"

_ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"  # Crockford's base 32
_LENGTH = 10
_GROUP = 5
_LOOKALIKES = str.maketrans({"o": "0", "i": "1", "l": "1"})
_CANONICAL = re.compile(f"[{_ALPHABET}]{{{_LENGTH}}}")
# PBKDF2-SHA256 with a per-device salt: about 30 ms a code here, so the one hash a sign-in attempt needs is cheap, and
# trying all 2^50 codes against a stolen database is not. The salt is per device rather than per code so one hash of
# the typed code can be looked up among the device's tokens, as the plugin does; codes are random, so no two people's
# codes are alike for a shared salt to reveal.
_HASH_ITERATIONS = 100_000
# StaticToken.token holds 16 characters: 80 bits of the hash in base 32, more than the code's own 50.
_HASH_CHARACTERS = StaticToken._meta.get_field("token").max_length or 16


def recovery_code_generate() -> str:
    """A new random code, canonical (ten characters, no hyphen)."""
    return "".join(secrets.choice(_ALPHABET) for _ in range(_LENGTH))


def recovery_code_format(code: str) -> str:
    """A canonical code as people see it: ``7k2mq-9xwbd``."""
    return f"{code[:_GROUP]}-{code[_GROUP:]}"


def recovery_code_normalise(text: str) -> str | None:
    """The canonical form of a code as someone typed it, or ``None`` when it cannot be one."""
    canonical = re.sub(r"[\s-]", "", text).lower().translate(_LOOKALIKES)
    return canonical if _CANONICAL.fullmatch(canonical) else None


def recovery_code_hash(*, device: StaticDevice, code: str) -> str:
    """What is stored for ``code`` in ``device``'s tokens, and looked up when someone types it in."""
    canonical = recovery_code_normalise(code)
    if canonical is None:
        raise ValueError("not a recovery code")
    salt = f"opencomplaints.recovery-code:{device.user_id}:{device.pk}".encode()
    digest = hashlib.pbkdf2_hmac("sha256", canonical.encode(), salt, _HASH_ITERATIONS)
    return b32encode(digest).decode().lower()[:_HASH_CHARACTERS]


def recovery_device(*, user: User) -> StaticDevice | None:
    """The device holding the user's recovery codes, if they have ever had any."""
    return StaticDevice.objects.filter(user=user, name=RECOVERY_DEVICE_NAME).order_by("id").first()


def recovery_codes_remaining(*, user: User) -> int | None:
    """How many unused recovery codes the user has; ``None`` when they have never had any."""
    device = recovery_device(user=user)
    return None if device is None else device.token_set.count()


def recovery_codes_replace(*, user: User) -> tuple[list[str], int]:
    """Give the user a new set of codes, in place of any they had: the new codes as people see them (they are
    stored only as hashes, so this is the one time they can be shown) and how many unused old ones stopped working.

    The device is kept, not replaced, so a session verified by an old code stays verified."""
    with transaction.atomic():
        device = recovery_device(user=user)
        if device is None:
            device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
        else:
            device = StaticDevice.objects.select_for_update().get(pk=device.pk)
        replaced, _ = device.token_set.all().delete()
        codes: set[str] = set()
        while len(codes) < RECOVERY_CODE_COUNT:
            codes.add(recovery_code_generate())
        ordered = sorted(codes)
        StaticToken.objects.bulk_create(
            StaticToken(device=device, token=recovery_code_hash(device=device, code=code)) for code in ordered
        )
        # Someone who made a new set has just proved who they are: wrong codes typed before count no more.
        device.throttle_reset()
    return [recovery_code_format(code) for code in ordered], replaced


def recovery_code_check(*, device: StaticDevice, code: str) -> CodeCheck:
    """Check a code someone typed. An accepted code is deleted, so it works once; wrong codes slow further attempts
    down (django-otp's throttling), and while they do even a right code is refused."""
    with transaction.atomic():
        device = StaticDevice.objects.select_for_update().get(pk=device.pk)
        allowed, details = device.verify_is_allowed()
        if not allowed:
            return CodeCheck(accepted=False, locked_until=(details or {}).get("locked_until"))
        if recovery_code_normalise(code) is None:
            device.throttle_increment()
            return CodeCheck(accepted=False)
        return CodeCheck(accepted=bool(device.verify_token(recovery_code_hash(device=device, code=code))))

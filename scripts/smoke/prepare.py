"""The staff the load test signs in as, run by ``scripts/production-smoke`` with the production settings once the
demonstration data is loaded: ``python scripts/smoke/prepare.py --users N --out FILE``.

Each load-test user is a complaints officer of its own, as 50 staff signed in at once would be: a password (one,
hashed once, since Argon2 is slow on purpose) and a confirmed authenticator app whose secret goes to the load test,
which computes a fresh code at each sign-in (a code is accepted once per device, so users cannot share an app).
Writes a JSON file with the accounts, the cases they may see and the people a case may be given to."""

from __future__ import annotations

import argparse
import json
import os
import secrets
import sys
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--users", type=int, required=True)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()

    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "opencomplaints.config.settings.production")
    import django

    django.setup()

    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from opencomplaints.accounts.models import User
    from opencomplaints.accounts.two_factor import DEVICE_NAME
    from opencomplaints.cases.access import case_queryset_for_user, users_who_may_own
    from opencomplaints.councils.models import Role
    from opencomplaints.councils.services import council_member_add
    from opencomplaints.demo.builder import demo_councils

    councils = demo_councils()
    if not councils:
        raise SystemExit("No demonstration council: run `opencomplaints demo-data` first")
    password = secrets.token_urlsafe(18)
    hashed = make_password(password)
    accounts = []
    with transaction.atomic():
        for number in range(1, args.users + 1):
            user = User.objects.create(
                username=f"smoke-officer-{number:02d}",
                first_name="Smoke",
                last_name=f"Officer {number:02d}",
                email=f"smoke-officer-{number:02d}@smoke.example",
                password=hashed,
            )
            for council in councils:
                council_member_add(council=council, user=user, role=Role.COMPLAINTS_OFFICER, acting_user=None)
            device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=True)
            accounts.append(
                {
                    "username": user.username,
                    "totp_key": device.key,
                    "step": device.step,
                    "t0": device.t0,
                    "digits": device.digits,
                }
            )
    first = User.objects.get(username=accounts[0]["username"])
    cases = list(case_queryset_for_user(user=first).order_by("pk").values_list("pk", flat=True))
    complaints = list(
        case_queryset_for_user(user=first)
        .filter(kind="complaint", closed_date__isnull=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    # The demonstration's own officers and managers (integration accounts and the load test's staff left out).
    owners = sorted(
        name
        for name in users_who_may_own(councils=councils).values_list("username", flat=True)
        if not name.startswith(("integration-", "smoke-"))
    )
    data = {
        "password": password,
        "accounts": accounts,
        "cases": cases,
        "open_complaints": complaints,
        "owners": owners,
        "council": councils[0].slug,
    }
    args.out.write_text(json.dumps(data))
    args.out.chmod(0o600)
    print(f"{len(accounts)} staff accounts, {len(cases)} cases they may see, {len(complaints)} open complaints")


if __name__ == "__main__":
    main()

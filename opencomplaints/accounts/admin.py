from collections import Counter
from collections.abc import Sequence
from typing import Any

from django.contrib import admin, messages
from django.contrib.admin.utils import NestedObjects
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import PermissionDenied
from django.db import router
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.text import capfirst
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.admin import TOTPDeviceAdmin
from django_otp.plugins.otp_totp.models import TOTPDevice

from opencomplaints.accounts.models import User
from opencomplaints.accounts.recovery_codes import RECOVERY_CODE_COUNT, recovery_codes_remaining
from opencomplaints.accounts.services import two_factor_reset
from opencomplaints.accounts.two_factor import totp_device_confirmed


def _administrator(request: HttpRequest) -> User:
    if not isinstance(request.user, User):  # the admin site lets no one else this far
        raise PermissionDenied
    return request.user


@admin.register(User)
class UserAdmin(DjangoUserAdmin[User]):
    fieldsets = (
        *(DjangoUserAdmin.fieldsets or ()),
        ("Role", {"fields": ("job_title",)}),
        ("Two-factor sign-in", {"fields": ("two_factor",)}),
    )
    readonly_fields = ("two_factor",)
    actions = ("reset_two_factor",)

    @admin.display(description="Two-factor sign-in")
    def two_factor(self, user: User) -> str:
        app = "Authenticator app set up" if totp_device_confirmed(user=user) else "No authenticator app"
        left = recovery_codes_remaining(user=user)
        codes = "no recovery codes" if not left else f"{left} of {RECOVERY_CODE_COUNT} recovery codes left"
        return f"{app}; {codes}"

    @admin.action(
        description="Reset two-factor sign-in (removes the authenticator app and the recovery codes)",
        permissions=("change",),
    )
    def reset_two_factor(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        acting_user = _administrator(request)
        users = list(queryset)
        for user in users:
            two_factor_reset(user=user, acting_user=acting_user)
        self.message_user(
            request,
            f"Two-factor sign-in reset for {', '.join(user.username for user in users)}. They will set up an "
            "authenticator app, and get new recovery codes, the next time they sign in.",
            messages.SUCCESS,
        )

    def get_deleted_objects(
        self, objs: Sequence[User] | Any, request: HttpRequest
    ) -> tuple[list[Any], dict[str, int], set[str], list[str]]:
        """What deleting these users would remove or is stopped by, by kind and number only. Django's page names
        each record, and the records that stop it (documents a person uploaded, say) are named by their content,
        which an administrator does not read (docs/adr/0005-roles-and-access.md)."""
        _, model_count, perms_needed, _ = super().get_deleted_objects(objs, request)
        collector = NestedObjects(using=router.db_for_write(User))
        collector.collect(list(objs))
        kept = Counter(capfirst(str(record._meta.verbose_name_plural)) for record in collector.protected)
        protected = [f"{name}: {number}" for name, number in sorted(kept.items())]
        return [str(user) for user in objs], model_count, perms_needed, protected


# django-otp's own admin for authenticator apps, except that deleting one that was set up resets the person's
# two-factor sign-in, so their recovery codes go with it (and the reset is on the audit trail).
if admin.site.is_registered(TOTPDevice):
    admin.site.unregister(TOTPDevice)


@admin.register(TOTPDevice)
class AuthenticatorAppAdmin(TOTPDeviceAdmin):  # type: ignore[misc]  # django-otp is untyped
    def delete_model(self, request: HttpRequest, obj: TOTPDevice) -> None:
        self.delete_queryset(request, TOTPDevice.objects.filter(pk=obj.pk))

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[TOTPDevice]) -> None:
        acting_user = _administrator(request)
        for user in User.objects.filter(pk__in=queryset.filter(confirmed=True).values("user_id")):
            two_factor_reset(user=user, acting_user=acting_user)
        queryset.delete()  # what is left: apps never set up


# Recovery codes are stored as hashes, which tell an administrator nothing, and a code typed into django-otp's admin
# would be stored as typed and never work; they are removed with "Reset two-factor sign-in" on the person instead.
if admin.site.is_registered(StaticDevice):
    admin.site.unregister(StaticDevice)

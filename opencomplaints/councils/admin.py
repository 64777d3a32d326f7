"""Administration of councils and their configuration.

Creating a council, a service area or a team goes through the services, so defaults are seeded and the audit
trail records it. Teams and service areas are not edited in place here: a restructure ends a team and starts its
successor (``team_restructure``), so earlier years' cases and reports keep the structure they had.
"""

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Now
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest

from opencomplaints.accounts.models import User
from opencomplaints.common.errors import DomainError
from opencomplaints.councils.models import (
    CorporateProcedure,
    Council,
    CouncilMembership,
    EthnicityCategory,
    IssueCategory,
    RemedyType,
    ServiceArea,
    Team,
)
from opencomplaints.councils.services import (
    council_create,
    council_member_add,
    council_member_remove,
    service_area_create,
    team_create,
)


def _acting_user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)  # noqa: S101 - the admin only serves signed-in staff
    return request.user


def _copy_saved(*, target: Any, saved: Any) -> None:
    """Make the admin's unsaved form instance the row a service created, so the admin's own follow-up (inlines,
    the change message, the redirect) works on the saved row."""
    for field in saved._meta.concrete_fields:
        setattr(target, field.attname, getattr(saved, field.attname))
    target._state.adding = False
    target._state.db = saved._state.db


class ServiceErrorsMixin:
    """Shows a service's :class:`DomainError` as an error message instead of a server error.

    The admin validates the form before ``save_model`` runs; a rule only the service knows (e.g. a duplicate
    name) is then reported with the service's own words. The request's transaction is rolled back by the
    exception, so nothing is half-saved.
    """


class CouncilMembershipInlineForm(forms.ModelForm[CouncilMembership]):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A membership is granted or taken away, never passed to someone else: both are audited separately.
        if self.instance.pk is not None:
            self.fields["user"].disabled = True


class CouncilMembershipInlineFormSet(BaseInlineFormSet[CouncilMembership, Council, CouncilMembershipInlineForm]):
    pass


class CouncilMembershipInline(admin.TabularInline[CouncilMembership, Council]):
    model = CouncilMembership
    form = CouncilMembershipInlineForm
    formset = CouncilMembershipInlineFormSet
    fields = ["user", "created_at"]
    readonly_fields = ["created_at"]
    autocomplete_fields = ["user"]
    extra = 0
    verbose_name = "member"
    verbose_name_plural = "members (people who may see the council's records)"


@admin.register(Council)
class CouncilAdmin(admin.ModelAdmin[Council]):
    list_display = ["name", "slug", "reference_prefix", "member_count", "created_at"]
    search_fields = ["name", "slug", "reference_prefix"]
    fields = ["name", "slug", "reference_prefix"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [CouncilMembershipInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Council]:
        return super().get_queryset(request).annotate(member_total=Count("memberships"))

    @admin.display(description="members", ordering="member_total")
    def member_count(self, obj: Council) -> int:
        return getattr(obj, "member_total", 0)

    def get_readonly_fields(self, request: HttpRequest, obj: Council | None = None) -> list[str]:
        # The slug names the council on the command line and the prefix is in every case reference issued.
        return ["slug", "reference_prefix"] if obj is not None else []

    def get_prepopulated_fields(self, request: HttpRequest, obj: Council | None = None) -> dict[str, Any]:
        return {} if obj is not None else dict(self.prepopulated_fields)

    def has_delete_permission(self, request: HttpRequest, obj: Council | None = None) -> bool:
        # A council's cases and audit trail are records the law requires to be kept (R1.39).
        return False

    def save_model(self, request: HttpRequest, obj: Council, form: Any, change: bool) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        council = council_create(
            name=obj.name, slug=obj.slug, reference_prefix=obj.reference_prefix, acting_user=_acting_user(request)
        )
        _copy_saved(target=obj, saved=council)

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        if formset.model is not CouncilMembership:
            super().save_formset(request, form, formset, change)
            return
        council: Council = form.instance
        acting_user = _acting_user(request)
        for membership_form in formset.deleted_forms:
            if membership_form.instance.pk is not None:
                council_member_remove(council=council, user=membership_form.instance.user, acting_user=acting_user)
        for membership_form in formset.forms:
            if membership_form in formset.deleted_forms or membership_form.instance.pk is not None:
                continue
            user = membership_form.cleaned_data.get("user")
            if user is not None:
                council_member_add(council=council, user=user, acting_user=acting_user)


@admin.register(ServiceArea)
class ServiceAreaAdmin(admin.ModelAdmin[ServiceArea]):
    list_display = ["name", "council", "active_from", "active_until"]
    list_filter = ["council"]
    search_fields = ["name", "council__name"]
    fields = ["council", "name", "active_from", "active_until"]
    list_select_related = ["council"]

    def get_fields(self, request: HttpRequest, obj: ServiceArea | None = None) -> list[str]:
        return ["council", "name", "active_from"] if obj is None else list(self.fields)

    def has_change_permission(self, request: HttpRequest, obj: ServiceArea | None = None) -> bool:
        # Viewable, never edited in place: renaming a service area would rewrite earlier years' reports.
        return False

    def has_delete_permission(self, request: HttpRequest, obj: ServiceArea | None = None) -> bool:
        return False

    def has_view_permission(self, request: HttpRequest, obj: ServiceArea | None = None) -> bool:
        return request.user.is_active and request.user.is_staff

    def save_model(self, request: HttpRequest, obj: ServiceArea, form: Any, change: bool) -> None:
        area = service_area_create(
            council=obj.council, name=obj.name, active_from=obj.active_from, acting_user=_acting_user(request)
        )
        _copy_saved(target=obj, saved=area)


class ActiveListFilter(admin.SimpleListFilter):
    title = "current"
    parameter_name = "current"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [("yes", "Current"), ("no", "Ended")]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        # Today by the database's clock: the admin is an interface, where reading the clock belongs.
        current = Q(active_until__isnull=True) | Q(active_until__gte=Now())
        if self.value() == "yes":
            return queryset.filter(current)
        if self.value() == "no":
            return queryset.exclude(current)
        return queryset


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin[Team]):
    list_display = ["name", "service_area", "council", "active_from", "active_until", "predecessor"]
    list_filter = ["council", "service_area", ActiveListFilter]
    search_fields = ["name", "service_area__name", "council__name"]
    fields = ["council", "service_area", "name", "active_from", "active_until", "predecessor"]
    list_select_related = ["council", "service_area", "predecessor"]
    autocomplete_fields = ["service_area"]

    def get_fields(self, request: HttpRequest, obj: Team | None = None) -> list[str]:
        # The council is the service area's; a new team's predecessor is only set by a restructure.
        return ["service_area", "name", "active_from"] if obj is None else list(self.fields)

    def has_change_permission(self, request: HttpRequest, obj: Team | None = None) -> bool:
        # Viewable, never edited in place: a restructure ends the team and creates its successor.
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Team | None = None) -> bool:
        return False

    def has_view_permission(self, request: HttpRequest, obj: Team | None = None) -> bool:
        return request.user.is_active and request.user.is_staff

    def save_model(self, request: HttpRequest, obj: Team, form: Any, change: bool) -> None:
        team = team_create(
            service_area=obj.service_area, name=obj.name, active_from=obj.active_from, acting_user=_acting_user(request)
        )
        _copy_saved(target=obj, saved=team)


@admin.register(IssueCategory)
class IssueCategoryAdmin(admin.ModelAdmin[IssueCategory]):
    list_display = ["name", "council", "is_active"]
    list_filter = ["council", "is_active"]
    search_fields = ["name", "council__name"]
    list_select_related = ["council"]


@admin.register(RemedyType)
class RemedyTypeAdmin(admin.ModelAdmin[RemedyType]):
    list_display = ["name", "code", "council", "is_financial", "is_active"]
    list_filter = ["council", "is_financial", "is_active"]
    search_fields = ["name", "code", "council__name"]
    list_select_related = ["council"]

    def get_readonly_fields(self, request: HttpRequest, obj: RemedyType | None = None) -> list[str]:
        # The code is the interchange vocabulary: changing it would change the meaning of data already exchanged.
        return ["code"] if obj is not None else []


@admin.register(EthnicityCategory)
class EthnicityCategoryAdmin(admin.ModelAdmin[EthnicityCategory]):
    """The published schemes (R6.2, R6.3), seeded by a migration: listed for reference, never edited here."""

    list_display = ["name", "code", "broad_group", "scheme", "position"]
    list_filter = ["scheme", "broad_group"]
    search_fields = ["name", "code", "broad_group"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: EthnicityCategory | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: EthnicityCategory | None = None) -> bool:
        return False


@admin.register(CorporateProcedure)
class CorporateProcedureAdmin(admin.ModelAdmin[CorporateProcedure]):
    list_display = [
        "name",
        "council",
        "is_default",
        "acknowledge_days",
        "stage1_days",
        "stage2_days",
        "escalation_window_days",
    ]
    list_filter = ["council", "is_default"]
    search_fields = ["name", "council__name"]
    list_select_related = ["council"]
    fieldsets = [
        (None, {"fields": ["council", "name", "is_default"]}),
        (
            "Stage 1 (working days)",
            {"fields": ["acknowledge_days", "stage1_days", "stage1_extension_days"]},
        ),
        (
            "Stage 2 (working days)",
            {"fields": ["stage2_acknowledge_days", "stage2_days", "stage2_extension_days", "escalation_window_days"]},
        ),
    ]

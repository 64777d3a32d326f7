"""Administration of councils and their configuration.

Adding a council, a service area or a team, and granting or removing membership, go through the services, so a
new council gets its defaults and every change is in the audit trail. Service areas and teams are not edited in
place: a restructure ends a team and starts its successor (``team_restructure``), so earlier years' cases and
reports keep the structure they had.
"""

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone

from opencomplaints.accounts.requests import acting_user
from opencomplaints.common.admin import check_with_service, copy_saved
from opencomplaints.common.errors import DomainError
from opencomplaints.councils.models import (
    CorporateProcedure,
    Council,
    CouncilMembership,
    EthnicityCategory,
    IssueCategory,
    LocalTimescales,
    RemedyType,
    Role,
    ServiceArea,
    Team,
)
from opencomplaints.councils.services import (
    corporate_procedure_create,
    corporate_procedure_revise,
    council_create,
    council_member_add,
    council_member_remove,
    council_member_role_set,
    local_timescales_create,
    local_timescales_revise,
    service_area_create,
    team_create,
)
from opencomplaints.councils.services.councils import SelfGrantRefused
from opencomplaints.councils.services.procedures import CORPORATE_FIELDS, LOCAL_FIELDS
from opencomplaints.councils.services.role_requests import role_request_create

#: The reason a request made from the admin carries; the page asks for the administrator's own words.
ADMIN_REQUEST_REASON = "Asked for on the council's page in the admin."

# -- Councils and their members -------------------------------------------------------------------------------


class CouncilAddForm(forms.ModelForm[Council]):
    class Meta:
        model = Council
        fields = ["name", "slug", "reference_prefix"]

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        if not self.errors:
            check_with_service(
                self,
                lambda: council_create(
                    name=cleaned["name"],
                    slug=cleaned["slug"],
                    reference_prefix=cleaned["reference_prefix"],
                    acting_user=None,
                ),
            )
        return cleaned


class CouncilMembershipInlineForm(forms.ModelForm[CouncilMembership]):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A membership is granted or removed, never handed to someone else: each is its own audited event.
        if self.instance.pk is not None:
            self.fields["user"].disabled = True


class CouncilMembershipInline(admin.TabularInline[CouncilMembership, Council]):
    model = CouncilMembership
    form = CouncilMembershipInlineForm
    fields = ["user", "role", "created_at"]
    readonly_fields = ["created_at"]
    autocomplete_fields = ["user"]
    extra = 0
    verbose_name = "member"
    verbose_name_plural = "members (people who may see the council's records, as their role allows)"


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
        return int(getattr(obj, "member_total", 0))

    def get_form(self, request: HttpRequest, obj: Council | None = None, change: bool = False, **kwargs: Any) -> Any:
        if obj is None:
            kwargs["form"] = CouncilAddForm
        return super().get_form(request, obj, change, **kwargs)

    def get_readonly_fields(self, request: HttpRequest, obj: Council | None = None) -> list[str]:
        # Only membership changes here. The slug names the council on the command line, the prefix is in every
        # case reference already issued, and no service renames a council (so none would be audited).
        return ["name", "slug", "reference_prefix"] if obj is not None else []

    def get_prepopulated_fields(self, request: HttpRequest, obj: Council | None = None) -> dict[str, Any]:
        return {} if obj is not None else dict(self.prepopulated_fields)

    def has_delete_permission(self, request: HttpRequest, obj: Council | None = None) -> bool:
        # A council's cases and their audit trail are records that must be kept (R1.39).
        return False

    def save_model(self, request: HttpRequest, obj: Council, form: Any, change: bool) -> None:
        if change:
            return  # Every field is read-only on change; the inline's memberships are saved in save_formset.
        council = council_create(
            name=obj.name, slug=obj.slug, reference_prefix=obj.reference_prefix, acting_user=acting_user(request)
        )
        copy_saved(target=obj, saved=council)

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        if formset.model is not CouncilMembership:
            super().save_formset(request, form, formset, change)
            return
        council: Council = form.instance
        user = acting_user(request)
        removed = [f.instance for f in formset.deleted_forms if f.instance.pk is not None]
        for membership in removed:
            council_member_remove(council=council, user=membership.user, acting_user=user)
        changed = []
        for membership_form in formset.initial_forms:
            if membership_form in formset.deleted_forms or "role" not in membership_form.changed_data:
                continue
            membership = membership_form.instance
            role = membership_form.cleaned_data["role"]
            try:
                changed.append(
                    (
                        council_member_role_set(council=council, user=membership.user, role=role, acting_user=user),
                        ["role"],
                    )
                )
            except SelfGrantRefused:
                self._ask_instead(request, council, role, user)
        added = []
        for membership_form in formset.extra_forms:
            member = membership_form.cleaned_data.get("user")
            if member is not None and membership_form not in formset.deleted_forms:
                role = membership_form.cleaned_data.get("role") or Role.COMPLAINTS_OFFICER
                try:
                    added.append(council_member_add(council=council, user=member, role=role, acting_user=user))
                except SelfGrantRefused:
                    self._ask_instead(request, council, role, user)
        # The admin's history entry reads these, which formset.save() would otherwise have set.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = added, changed, removed

    @staticmethod
    def _ask_instead(request: HttpRequest, council: Council, role: str, user: Any) -> None:
        """A system administrator giving themselves a role that sees case content: the grant becomes a request a
        second administrator decides (docs/security.md)."""
        try:
            role_request_create(council=council, role=role, reason=ADMIN_REQUEST_REASON, acting_user=user)
        except DomainError as error:
            messages.warning(request, error.message)
            return
        messages.warning(
            request,
            "You cannot give yourself a role that sees case content, so it was not given: it has been asked for "
            "instead, and a second system administrator approves or refuses it on the role requests page.",
        )


# -- Service areas and teams ----------------------------------------------------------------------------------


class ServiceAreaAddForm(forms.ModelForm[ServiceArea]):
    class Meta:
        model = ServiceArea
        fields = ["council", "name", "active_from"]

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        if not self.errors:
            check_with_service(
                self,
                lambda: service_area_create(
                    council=cleaned["council"],
                    name=cleaned["name"],
                    active_from=cleaned.get("active_from"),
                    acting_user=None,
                ),
            )
        return cleaned


class CurrentListFilter(admin.SimpleListFilter):
    title = "active"
    parameter_name = "active"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [("yes", "Active today"), ("no", "Ended")]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        today = timezone.localdate()  # The admin is an interface: reading the clock belongs here, not in selectors.
        active = (Q(active_from__isnull=True) | Q(active_from__lte=today)) & (
            Q(active_until__isnull=True) | Q(active_until__gte=today)
        )
        if self.value() == "yes":
            return queryset.filter(active)
        if self.value() == "no":
            return queryset.filter(active_until__lt=today)
        return queryset


class NotEditedInPlaceMixin:
    """Viewable and addable, never changed or deleted here: a change would rewrite earlier years' reports."""

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ServiceArea)
class ServiceAreaAdmin(NotEditedInPlaceMixin, admin.ModelAdmin[ServiceArea]):
    form = ServiceAreaAddForm
    list_display = ["name", "council", "active_from", "active_until"]
    list_filter = ["council", CurrentListFilter]
    search_fields = ["name", "council__name"]
    list_select_related = ["council"]

    def get_fields(self, request: HttpRequest, obj: ServiceArea | None = None) -> tuple[str, ...]:
        fields = ("council", "name", "active_from")
        return fields if obj is None else (*fields, "active_until")

    def save_model(self, request: HttpRequest, obj: ServiceArea, form: Any, change: bool) -> None:
        area = service_area_create(
            council=obj.council, name=obj.name, active_from=obj.active_from, acting_user=acting_user(request)
        )
        copy_saved(target=obj, saved=area)


class TeamAddForm(forms.ModelForm[Team]):
    class Meta:
        model = Team
        fields = ["service_area", "name", "active_from"]

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        if not self.errors:
            check_with_service(
                self,
                lambda: team_create(
                    service_area=cleaned["service_area"],
                    name=cleaned["name"],
                    active_from=cleaned.get("active_from"),
                    acting_user=None,
                ),
            )
        return cleaned


@admin.register(Team)
class TeamAdmin(NotEditedInPlaceMixin, admin.ModelAdmin[Team]):
    form = TeamAddForm
    list_display = ["name", "service_area", "council", "active_from", "active_until", "predecessor"]
    list_filter = ["council", "service_area", CurrentListFilter]
    search_fields = ["name", "service_area__name", "council__name"]
    list_select_related = ["council", "service_area", "predecessor"]
    autocomplete_fields = ["service_area"]

    def get_fields(self, request: HttpRequest, obj: Team | None = None) -> tuple[str, ...]:
        # The council is the service area's; only a restructure sets a predecessor.
        if obj is None:
            return ("service_area", "name", "active_from")
        return ("council", "service_area", "name", "active_from", "active_until", "predecessor")

    def save_model(self, request: HttpRequest, obj: Team, form: Any, change: bool) -> None:
        team = team_create(
            service_area=obj.service_area, name=obj.name, active_from=obj.active_from, acting_user=acting_user(request)
        )
        copy_saved(target=obj, saved=team)


# -- Categories and procedures --------------------------------------------------------------------------------


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


# -- Procedures: versions, never edited in place (docs/adr/0014-procedures-as-data.md) -------------------------


class ProcedureVersionForm(forms.ModelForm[Any]):
    """Adding a procedure creates its version 1; changing one creates the next version. Either way the service
    checks the values first (``check_with_service``), so a refusal is a form error and nothing is saved."""

    #: The service module's list of configured fields, and the services that create and revise a version.
    configured: tuple[str, ...] = ()

    def create(self, cleaned: dict[str, Any], user: Any) -> Any:
        raise NotImplementedError

    def revise(self, cleaned: dict[str, Any], user: Any) -> Any:
        raise NotImplementedError

    def changes(self) -> dict[str, Any]:
        # Every configured value as the form shows it, so what the person sees is what is checked and saved.
        return {f: self.cleaned_data.get(f) for f in self.configured}

    def save_with_service(self, user: Any) -> Any:
        if self.instance.pk is None:
            return self.create(self.cleaned_data, user)
        return self.revise(self.cleaned_data, user)

    def clean(self) -> dict[str, Any]:
        super().clean()
        if not self.errors:
            check_with_service(self, lambda: self.save_with_service(None))
        return self.cleaned_data

    def validate_unique(self) -> None:
        # The service checks the rows it saves (a new default replaces the old one, which the form's own check of
        # the one-default constraint would refuse).
        return


class CorporateProcedureForm(ProcedureVersionForm):
    configured = CORPORATE_FIELDS

    class Meta:
        model = CorporateProcedure
        fields = ["council", "is_default", *CORPORATE_FIELDS]

    def create(self, cleaned: dict[str, Any], user: Any) -> CorporateProcedure:
        values = {f: cleaned.get(f) for f in CORPORATE_FIELDS}
        return corporate_procedure_create(
            council=cleaned["council"], acting_user=user, is_default=bool(cleaned.get("is_default")), **values
        )

    def revise(self, cleaned: dict[str, Any], user: Any) -> CorporateProcedure:
        return corporate_procedure_revise(procedure=self.instance, acting_user=user, changes=self.changes())


class LocalTimescalesForm(ProcedureVersionForm):
    configured = LOCAL_FIELDS

    class Meta:
        model = LocalTimescales
        fields = ["council", *LOCAL_FIELDS]

    def create(self, cleaned: dict[str, Any], user: Any) -> LocalTimescales:
        values = {f: cleaned.get(f) for f in LOCAL_FIELDS}
        return local_timescales_create(council=cleaned["council"], acting_user=user, **values)

    def revise(self, cleaned: dict[str, Any], user: Any) -> LocalTimescales:
        return local_timescales_revise(council=self.instance.council, acting_user=user, changes=self.changes())


class CurrentVersionListFilter(admin.SimpleListFilter):
    title = "version"
    parameter_name = "current"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [("yes", "In force"), ("no", "Replaced")]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if self.value() == "yes":
            return queryset.filter(superseded_at__isnull=True)
        if self.value() == "no":
            return queryset.filter(superseded_at__isnull=False)
        return queryset


class ProcedureVersionAdmin(admin.ModelAdmin[Any]):
    """A version in force is changed by saving the next version; a replaced version is kept, read-only, for the
    cases that started under it. No version is ever deleted."""

    list_filter = ["council", CurrentVersionListFilter]
    list_select_related = ["council"]
    readonly_fields = ["version", "superseded_at", "supersedes"]

    @admin.display(boolean=True, description="in force")
    def in_force(self, obj: Any) -> bool:
        return bool(obj.is_current)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        # The council of a saved version never changes: its cases name it.
        return [*self.readonly_fields, "council"] if obj is not None else list(self.readonly_fields)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and not obj.is_current:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        copy_saved(target=obj, saved=form.save_with_service(acting_user(request)))


@admin.register(CorporateProcedure)
class CorporateProcedureAdmin(ProcedureVersionAdmin):
    form = CorporateProcedureForm
    list_display = [
        "name",
        "council",
        "version",
        "in_force",
        "is_default",
        "stage_count",
        "acknowledge_days",
        "stage1_days",
        "stage1_extension_days",
        "stage2_days",
        "stage2_extension_days",
        "escalation_window_days",
    ]
    search_fields = ["name", "council__name"]

    def get_fieldsets(self, request: HttpRequest, obj: CorporateProcedure | None = None) -> Any:
        return [
            (
                None,
                {
                    "fields": ["council", "name", "is_default", "stage_count", "version", "superseded_at"],
                    "description": "Saving a change creates the next version: new complaints use it, and each "
                    "existing complaint keeps the version it was registered under, so no due date moves.",
                },
            ),
            (
                "Stage 1 (working days)",
                {
                    "fields": ["acknowledge_days", "stage1_days", "stage1_extension_days"],
                    "description": "The Complaint Handling Code: acknowledge within 5, respond within 10 of the "
                    "acknowledgement, extend by up to 10 more. 0 means the council does not use that timescale.",
                },
            ),
            (
                "Stage 2 (working days)",
                {
                    "fields": [
                        "stage2_acknowledge_days",
                        "stage2_days",
                        "stage2_extension_days",
                        "escalation_window_days",
                    ],
                    "description": "The Code: acknowledge within 5, respond within 20 of the acknowledgement, "
                    "extend by up to 20 more. The window to ask for stage 2 runs from the stage 1 response and is "
                    "a prompt, never a bar. Leave this section blank for a one-stage procedure.",
                },
            ),
        ]


@admin.register(LocalTimescales)
class LocalTimescalesAdmin(ProcedureVersionAdmin):
    form = LocalTimescalesForm
    list_display = [
        "council",
        "version",
        "in_force",
        "adults_acknowledge_days",
        "adults_response_months",
        "enquiry_response_days",
    ]
    search_fields = ["council__name"]

    def get_fieldsets(self, request: HttpRequest, obj: LocalTimescales | None = None) -> Any:
        return [
            (
                None,
                {
                    "fields": ["council", "version", "superseded_at"],
                    "description": "Saving a change creates the next version; each existing case keeps the "
                    "version it was registered under. The children's statutory procedure is set by the "
                    "Regulations and is not configured here.",
                },
            ),
            ("Adults' statutory procedure", {"fields": ["adults_acknowledge_days", "adults_response_months"]}),
            ("MP and councillor enquiries", {"fields": ["enquiry_response_days"]}),
        ]

"""The forms of the casework actions (declared in ``casework.declarations``). Each is built for the case, the record
the action is on (the case, a stage, a learning action...) and the user; its cleaned values are the service's keyword
arguments, by the field's name. A class is written here only where the form does more than list its fields; a form
that only lists them is declared in its action's row with :func:`declare` (or :func:`details`). The rules of the
procedure are the services' to apply (see ``casework.fields``)."""

from __future__ import annotations

import re
from datetime import datetime, time
from typing import Any, ClassVar

from crispy_forms_gds.layout import Field, Fieldset, Size
from django import forms
from django.db.models import QuerySet
from django.template.defaultfilters import filesizeformat
from django.utils import timezone

from opencomplaints.accounts.models import User
from opencomplaints.cases import constants as c
from opencomplaints.cases import rules
from opencomplaints.cases.access import ROLES_SEEING_CASES, CasePermissions, users_who_may_own
from opencomplaints.cases.kinds import kind_of
from opencomplaints.cases.models import Case, CaseNote, ComplaintPoint, Recommendation
from opencomplaints.cases.selectors import case_access_grants
from opencomplaints.cases.services import RecommendationResponse
from opencomplaints.cases.services.remedies import REMEDY_AMOUNT_MAX, REMEDY_AMOUNT_MIN
from opencomplaints.casework import services as casework_services
from opencomplaints.casework.fields import (
    YES_NO_UNKNOWN,
    CaseworkForm,
    MoneyField,
    PeopleMultipleChoiceField,
    UserChoiceField,
    _stage_label,
    date_field,
    lines,
    person_choice,
    radios,
    record_choice,
    text_area,
    text_input,
    yes_no,
)
from opencomplaints.casework.models import DocumentKind
from opencomplaints.casework.selectors import case_request_window
from opencomplaints.councils.models import ContactCapacity, IssueCategory, RemedyType, Role, Team
from opencomplaints.councils.selectors import contacts_for_capacity
from opencomplaints.notifications import services as notification_services
from opencomplaints.notifications.models import SentVia

TRI_STATE = [("yes", "Yes"), ("no", "No"), ("", "Not stated")]
FILE_TYPES = "PDF, DOCX, DOC, XLSX, ODT, PNG, JPEG, TXT, EML or MSG"
STAGE_ERROR = "Select the stage from the list"


class UserMultipleChoiceField(forms.ModelMultipleChoiceField[User]):
    def label_from_instance(self, obj: User) -> str:
        return f"{obj} ({obj.job_title})" if obj.job_title else str(obj)


def members(case: Case) -> QuerySet[User]:
    """The active members of the case's council: those a person picker offers."""
    return User.objects.filter(memberships__council=case.council, is_active=True).order_by("last_name", "first_name")


# The people each picker offers, by their role in the case's council (issue 15, item 6): an independent person or a
# panel member is not on the council's staff (R1.3, R1.30); the investigating officer is not one of them; the
# adjudication is a senior manager's decision (R1.28).
INDEPENDENT_PICK = frozenset({Role.INDEPENDENT_PERSON, Role.PANEL_MEMBER})
INVESTIGATOR_PICK = ROLES_SEEING_CASES - INDEPENDENT_PICK - {Role.ADJUDICATOR}
ADJUDICATOR_PICK = frozenset({Role.ADJUDICATOR, Role.COMPLAINTS_MANAGER, Role.INVESTIGATING_MANAGER})


def members_in(case: Case, roles: frozenset[Role]) -> QuerySet[User]:
    """The active members of the case's council holding one of ``roles`` there (one membership holds both)."""
    return (
        User.objects.filter(memberships__council=case.council, memberships__role__in=roles, is_active=True)
        .distinct()
        .order_by("last_name", "first_name")
    )


def nameable(case: Case) -> QuerySet[User]:
    """The members of the case's council whose role sees cases: those who can be named on it."""
    return members(case).filter(memberships__role__in=ROLES_SEEING_CASES)


def _user_choice(label: str, empty: str, error: str, *, required: str = "", hint: str = "") -> UserChoiceField:
    """A person picker; ``required`` is the message when no one is chosen (empty: optional)."""
    messages = {"invalid_choice": error, "required": required}
    return UserChoiceField(
        label=label, queryset=User.objects.none(), required=bool(required), empty_label=empty, help_text=hint,
        error_messages=messages,
    )  # fmt: skip


class ActionForm(CaseworkForm):
    """The form of one action. ``keyword`` is the service's name for ``target`` (``stage=``, ``action=``...);
    ``argument_names`` renames a field where the service calls it otherwise."""

    argument_names: ClassVar[dict[str, str]] = {}

    def __init__(
        self,
        *args: Any,
        case: Case,
        target: Any = None,
        keyword: str = "case",
        user: User | None = None,
        permissions: CasePermissions | None = None,
        **kwargs: Any,
    ) -> None:
        self.case, self.keyword = case, keyword
        self.target: Any = case if target is None else target
        self.acting_user, self.permissions = user, permissions
        super().__init__(*args, **kwargs)
        # Not a base field, so never a service argument; rendered hidden by the action page.
        self.add_version(case.version)

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        values = {self.argument_names.get(name, name): data.get(name) for name in self.base_fields}
        listed = {name: list(v) if isinstance(v, QuerySet) else v for name, v in values.items()}
        return {self.keyword: self.target, **listed}


#: The name of a form declared in its action (``casework.declarations``) until the action names it after itself.
DECLARED = "DeclaredForm"


def declare(
    title: str, submit_label: str, *, base: type[ActionForm] = ActionForm, name: str = DECLARED, **attrs: Any
) -> Any:
    """A form class with these fields (in order) and class attributes (``lede``, ``warning``, ``service_fields``)."""
    return type(name, (base,), {"__module__": __name__, "title": title, "submit_label": submit_label, **attrs})


# -- stages ----------------------------------------------------------------------------------------------------


class FindingsForm(ActionForm):
    """One finding per point of complaint, as radios named ``finding_<point id>``, and, where ``with_responses``,
    what the council says on each point for the response letter (``response_<point id>``)."""

    findings_required: ClassVar[bool] = True
    with_responses: ClassVar[bool] = False

    def prepare(self) -> None:
        self.points: list[ComplaintPoint] = list(self.case.points.order_by("number"))
        suffix = "" if self.findings_required else " (optional)"
        for point in self.points:
            self.fields[f"finding_{point.pk}"] = radios(
                f"Point {point.number}: {point.description}{suffix}",
                c.Finding.choices,
                f"Select the finding on point {point.number}",
                required=self.findings_required,
            )
            if self.with_responses:
                self.fields[f"response_{point.pk}"] = text_area(
                    f"What do you say to the complainant on point {point.number}? (optional)",
                    required=False,
                    hint="The response letter gives it under the point.",
                )

    def findings(self) -> dict[ComplaintPoint, str]:
        data = self.cleaned_data
        return {p: data[f"finding_{p.pk}"] for p in self.points if data.get(f"finding_{p.pk}")}

    def responses(self) -> dict[ComplaintPoint, str]:
        data = self.cleaned_data
        return {p: data[f"response_{p.pk}"] for p in self.points if data.get(f"response_{p.pk}")}

    def finding_layout(self) -> list[Any]:
        layout: list[Any] = []
        for p in self.points:
            layout.append(Field.radios(f"finding_{p.pk}", legend_size=Size.SMALL, small=True))
            if self.with_responses:
                layout.append(Field.textarea(f"response_{p.pk}", label_size=Size.SMALL, rows=3))
        return layout

    def service_arguments(self) -> dict[str, Any]:
        arguments = {**super().service_arguments(), "findings": self.findings()}
        if self.with_responses:
            arguments["responses"] = self.responses()
        return arguments


SENT_VIA_HINT = (
    f"A letter sent by post is taken to arrive {rules.DEEMED_RECEIPT_WORKING_DAYS[c.ResponseSentVia.POST]} working "
    "days later: the time to ask for the next stage runs from then."
)


def _sent_via() -> forms.ChoiceField:
    # R1.29: the window for the next stage runs from the day the response is (deemed) received.
    return radios(
        "How was the response sent? (optional)",
        c.ResponseSentVia.choices,
        "Select how the response was sent",
        required=False,
    )


class StageRespondForm(FindingsForm):
    title = "Record the response"
    submit_label = "Record the response"
    with_responses = True
    service_fields: ClassVar[dict[str, str]] = {"findings": "response_date"}

    response_date = date_field("the date of the response", "Date of the response", past=True)

    def prepare(self) -> None:
        super().prepare()
        allowed = rules.RESPONSE_OUTCOMES.get(self.target.number, frozenset())
        choices = [(v, str(label)) for v, label in c.Outcome.choices if v in allowed]
        if self.points:
            self.fields["outcome"] = radios(
                "Overall outcome (optional)", choices, "Select the outcome of the stage", required=False
            )
            self.fields["outcome"].help_text = (
                "Leave it empty and the outcome follows from the findings: all upheld is upheld, none upheld is not "
                "upheld, anything else is partly upheld."
            )
            self.fields["outcome_reason"] = text_area(
                "If you chose another outcome than the findings give, why? (optional)", required=False
            )
        else:
            self.fields["outcome"] = radios("What was the outcome?", choices, "Select the outcome of the stage")
        self.fields["response_sent_via"] = _sent_via()
        self.fields["response_sent_via"].help_text = SENT_VIA_HINT

    def layout_fields(self) -> list[Any]:
        layout: list[Any] = [self._field("response_date")]
        if self.points:
            legend = "Findings and response on each point"
            layout.append(Fieldset(*self.finding_layout(), legend=legend, legend_size=Size.MEDIUM))
            layout += [self._field("outcome"), self._field("outcome_reason")]
        else:
            layout.append(self._field("outcome"))
        return [*layout, self._field("response_sent_via")]

    def service_arguments(self) -> dict[str, Any]:
        arguments = super().service_arguments()
        data = self.cleaned_data
        return {
            **arguments,
            "outcome": data.get("outcome") or None,
            "findings": self.findings() or None,
            "outcome_reason": data.get("outcome_reason") or "",
            "response_sent_via": data.get("response_sent_via") or "",
        }


class Stage2AppointForm(ActionForm):
    title = "Appoint the investigation"
    submit_label = "Save the appointments"

    appointed_date = date_field("the date of the appointment", "Date appointed", past=True)
    investigating_officer = person_choice(
        "Investigating officer", "Not appointed yet", "Select the investigating officer from the list"
    )
    independent_person = person_choice(
        "Independent person",
        "Not appointed yet",
        "Select the independent person from the list",
        hint="Someone not employed by the council, who must not be the investigating officer.",  # R1.25
    )

    def prepare(self) -> None:
        council = self.case.council
        self.fields["investigating_officer"].offer(  # type: ignore[attr-defined]
            members_in(self.case, INVESTIGATOR_PICK),
            contacts_for_capacity(council=council, capacity=ContactCapacity.INVESTIGATING_OFFICER),
        )
        self.fields["independent_person"].offer(  # type: ignore[attr-defined]
            members_in(self.case, INDEPENDENT_PICK),
            contacts_for_capacity(council=council, capacity=ContactCapacity.INDEPENDENT_PERSON),
        )
        if not self.is_bound:
            stage = self.target
            self.initial.update(investigating_officer=stage.investigator_ref, independent_person=stage.independent_ref)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        chosen = cleaned.get("investigating_officer") or cleaned.get("independent_person")
        if "investigating_officer" in cleaned and not chosen:
            message = "Select the investigating officer, the independent person or both"
            self.add_error("investigating_officer", message)
        return cleaned


class Stage2StatementForm(ActionForm):
    title = "Agree the statement of complaint"
    submit_label = "Save the statement"

    agreed_date = date_field(
        "the date the statement was agreed",
        "Date agreed",
        hint="Stage 2's 25 working days run from this date.",  # R1.26
        past=True,
    )
    points = lines(
        "Points of complaint", error="Enter at least one point of complaint", hint="Write each point on its own "
        "line.",  # R1.24
    )  # fmt: skip

    def prepare(self) -> None:
        points = list(self.case.points.order_by("number"))
        if not self.is_bound and points:
            self.initial["points"] = "\n".join(p.description for p in points)


class Stage2AdjudicateForm(FindingsForm):
    title = "Record the adjudication"
    submit_label = "Record the adjudication"

    adjudicator = _user_choice(
        "Who adjudicated?", "Choose the adjudicator", "Select the adjudicator from the list",
        required="Select who adjudicated",
    )  # fmt: skip
    adjudication_date = date_field("the date of the adjudication", "Date of the adjudication response", past=True)
    recommendations = lines(
        "Recommendations (optional)", required=False, hint="Write each recommendation on its own line."
    )

    with_responses = True

    def prepare(self) -> None:
        self.fields["adjudicator"].queryset = members_in(self.case, ADJUDICATOR_PICK)  # type: ignore[attr-defined]
        super().prepare()
        self.fields["response_sent_via"] = _sent_via()
        self.fields["response_sent_via"].help_text = SENT_VIA_HINT

    def layout_fields(self) -> list[Any]:
        legend = "Findings and response on each point"  # R1.25
        findings = Fieldset(*self.finding_layout(), legend=legend, legend_size=Size.MEDIUM)
        return [
            self._field("adjudicator"),
            self._field("adjudication_date"),
            findings,
            self._field("recommendations"),
            self._field("response_sent_via"),
        ]

    def service_arguments(self) -> dict[str, Any]:
        arguments = super().service_arguments()
        return {**arguments, "response_sent_via": self.cleaned_data.get("response_sent_via") or ""}


class Stage3PanelAppointForm(ActionForm):
    title = "Appoint the review panel"
    submit_label = "Save the panel"
    service_fields: ClassVar[dict[str, str]] = {"chair": "chair"}

    chair = person_choice(
        "Who chairs the panel?", "Choose the chair", "Select the chair from the list", required="Select the chair",
        hint="An independent person.",  # R1.30
    )  # fmt: skip
    members = PeopleMultipleChoiceField(
        label="The other two members",
        help_text="Select two people. The stage 2 independent person may not sit on the panel.",  # R1.30
        error_messages={
            "required": "Select the other two members of the panel",
            "invalid_choice": "Select the members from the list",
        },
    )

    def prepare(self) -> None:
        independent = members_in(self.case, INDEPENDENT_PICK)
        council = self.case.council
        self.fields["chair"].offer(  # type: ignore[attr-defined]
            independent, contacts_for_capacity(council=council, capacity=ContactCapacity.PANEL_CHAIR)
        )
        self.fields["members"].offer(  # type: ignore[attr-defined]
            independent, contacts_for_capacity(council=council, capacity=ContactCapacity.PANEL_MEMBER)
        )
        current = list(self.target.panel_members.all())
        if not self.is_bound and current:
            self.initial["chair"] = next((m.ref for m in current if m.role == c.PanelRole.CHAIR), None)
            self.initial["members"] = [m.ref for m in current if m.role != c.PanelRole.CHAIR]


class Stage3PanelScheduleForm(ActionForm):
    """The panel's meeting arranged ahead (R1.31): its members and the case owner are told, and reminded before."""

    title = "Arrange the panel meeting"
    submit_label = "Arrange the meeting"
    lede = "The panel members and the case owner are sent the date, time and place, and reminded before it."
    service_fields: ClassVar[dict[str, str]] = {"meeting_at": "meeting_date"}

    meeting_date = date_field(
        "the date of the meeting", "Date of the meeting",
        hint="The panel meets within 30 working days of the request for it.",  # R1.31
    )  # fmt: skip
    meeting_time = text_input(
        "Time of the meeting", max_length=5, hint="Use the 24-hour clock, for example 10:00",
    )  # fmt: skip
    place = text_input(
        "Where will it meet? (optional if it meets online)", max_length=200,
        hint="For example, County Hall, Committee Room 2",
    )  # fmt: skip
    online = forms.BooleanField(label="The panel meets online (or people can join online)", required=False)

    def prepare(self) -> None:
        self.fields["meeting_time"].required = True
        self.fields["meeting_time"].error_messages["required"] = "Enter the time of the meeting, for example 10:00"
        stage = self.target
        if stage.panel_meeting_at is not None and not self.is_bound:
            local = timezone.localtime(stage.panel_meeting_at)
            self.initial.update(meeting_date=local.date(), meeting_time=f"{local:%H:%M}",
                                place=stage.panel_meeting_place, online=stage.panel_meeting_online)  # fmt: skip

    def layout_fields(self) -> list[Any]:
        return [Field.checkbox(name) if name == "online" else self._field(name) for name in self.fields]

    def clean_meeting_time(self) -> str:
        value = (self.cleaned_data.get("meeting_time") or "").strip()
        if not _TIME.match(value):
            raise forms.ValidationError("Enter the time as hours and minutes, for example 10:00")
        return value

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        hours, minutes = (int(p) for p in re.split(r"[:.]", data["meeting_time"]))
        when = datetime.combine(data["meeting_date"], time(hours, minutes), tzinfo=timezone.get_current_timezone())
        return {self.keyword: self.target, "meeting_at": when, "place": data.get("place") or "",
                "online": bool(data.get("online"))}  # fmt: skip


class Stage3RespondForm(FindingsForm):
    title = "Record the council's response to the panel"
    submit_label = "Record the response"
    service_fields: ClassVar[dict[str, str]] = {"recommendation_responses": "response_date"}

    response_date = date_field("the date of the response", "Date of the council's response", past=True)

    def prepare(self) -> None:
        self.recommendations: list[Recommendation] = list(self.target.recommendations.order_by("number"))
        follows = [("yes", "The council will follow it"), ("no", "The council will not follow it")]
        for rec in self.recommendations:
            self.fields[f"recommendation_{rec.pk}"] = radios(
                f"Recommendation {rec.number}: {rec.text}",
                follows,
                f"Select whether the council follows recommendation {rec.number}",
            )
            self.fields[f"recommendation_{rec.pk}_reason"] = text_area(
                f"If the council will not follow recommendation {rec.number}, why not?",
                required=False,
                hint="The council must give its reasons.",  # R1.33
            )
        super().prepare()

    def layout_fields(self) -> list[Any]:
        recommendations = [
            item
            for rec in self.recommendations
            for item in (
                Field.radios(f"recommendation_{rec.pk}", legend_size=Size.SMALL),
                Field.textarea(f"recommendation_{rec.pk}_reason", label_size=Size.SMALL, rows=3),
            )
        ]
        layout = [self._field("response_date")]
        if self.points:
            layout.append(Fieldset(*self.finding_layout(), legend="Findings on each point", legend_size=Size.MEDIUM))
        if recommendations:
            legend = "The panel's recommendations"  # R1.33
            layout.append(Fieldset(*recommendations, legend=legend, legend_size=Size.MEDIUM))
        return layout

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        for rec in self.recommendations:
            if cleaned.get(f"recommendation_{rec.pk}") == "no" and not cleaned.get(f"recommendation_{rec.pk}_reason"):
                message = f"Enter why the council will not follow recommendation {rec.number}"
                self.add_error(f"recommendation_{rec.pk}_reason", message)
        return cleaned

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        responses = {}
        for rec in self.recommendations:
            accepted = data[f"recommendation_{rec.pk}"] == "yes"
            reason = "" if accepted else data.get(f"recommendation_{rec.pk}_reason", "")
            responses[rec] = RecommendationResponse(accepted=accepted, reason=reason)
        return {**super().service_arguments(), "recommendation_responses": responses}


# -- complaints ------------------------------------------------------------------------------------------------


class ComplaintEscalateForm(ActionForm):
    title = "Open the next stage"
    submit_label = "Open the next stage"
    lede = "A request after the window is never refused without a decision: record whether it is accepted, and why."

    request_received_date = date_field(
        "the date the request was received", "When did the complainant ask for the next stage?", past=True
    )
    late_request_accepted = yes_no(
        "If the request was late, is it accepted?",
        "Select whether the late request is accepted",
        choices=[("yes", "Yes, accept the late request"), ("no", "No, record the next stage as not accepted")],
        required=False,
    )
    late_request_reason = text_area("Reason for the decision on a late request", required=False)

    def prepare(self) -> None:
        window = case_request_window(case=self.case)
        end = window.effective_due_date if window else None
        if end is not None:
            self.fields["request_received_date"].help_text = (
                # R1.22, R1.29
                f"The window to ask ends on {end.day} {end:%B %Y}: a request after it needs a decision. "
                "For example, 27 3 2024"
            )


def _yes_no_unknown(value: bool | None) -> str:
    return "unknown" if value is None else ("yes" if value else "no")


class CaseSupportForm(ActionForm):
    title = "Record mediation and advocacy"
    submit_label = "Save mediation and advocacy"
    lede = "The annual report counts advocacy offered and provided and complaints resolved by mediation."  # R1.17

    mediation = radios("Was mediation used?", list(c.Mediation.choices), "Select whether mediation was used")
    advocacy_offered = yes_no("Was advocacy offered?", "Select whether advocacy was offered", choices=YES_NO_UNKNOWN)
    advocacy_provided = yes_no(
        "Was an advocate provided?", "Select whether an advocate was provided", choices=YES_NO_UNKNOWN
    )
    advocate_name = text_input("Advocate's name (optional)", max_length=150)
    advocate_organisation = text_input(
        "Advocacy organisation (optional)", max_length=150, hint="For example, the council's advocacy provider"
    )

    def prepare(self) -> None:
        case = self.case
        if not self.initial:
            self.initial.update(
                mediation=case.mediation,
                advocacy_offered=_yes_no_unknown(case.advocacy_offered),
                advocacy_provided=_yes_no_unknown(case.advocacy_provided),
                advocate_name=case.advocate_name,
                advocate_organisation=case.advocate_organisation,
            )


class ComplainantInterestForm(ActionForm):
    title = "Decide on sufficient interest"
    submit_label = "Record the decision"

    has_interest = yes_no(
        "Do they have sufficient interest in the child's welfare?", "Select whether they have sufficient interest"
    )
    decided_date = date_field("the date of the decision", "Date of the decision", past=True)
    child_consulted = yes_no(
        "Were the child's views taken into account?", "Select whether the child's views were taken into account"
    )
    notified_date = date_field(
        "the date they were told",
        "If not, when were they told? (optional)",
        required=False,
        hint="A person without sufficient interest must be told.",  # R1.9
        past=True,
    )

    def prepare(self) -> None:
        label = f"Does {self.target.person} have sufficient interest in the child's welfare?"
        self.fields["has_interest"].label = label


class CaseOwnerForm(ActionForm):
    title = "Change the owner"
    submit_label = "Change the owner"
    lede = "The owner sees the case in their cases, reminders and digests."

    owner = _user_choice("Who owns the case?", "No one", "Select the owner from the list")
    reason = text_area("Why is the owner changing?", error="Enter why the owner is changing")

    def prepare(self) -> None:
        # Only people who may own the council's cases are offered (cases.access.CASE_OWNER_ROLES).
        self.fields["owner"].queryset = users_who_may_own(councils=[self.case.council_id])  # type: ignore[attr-defined]
        self.initial.setdefault("owner", self.case.owner_id)


# -- points of complaint and recommendations (cases.services.points) -------------------------------------------


class ComplaintPointForm(ActionForm):
    title = "Add a point of complaint"
    submit_label = "Save the point"
    lede = "Record each thing the complainant is unhappy about as its own point: the response answers each one."

    description = text_area("What is the complainant unhappy about?", error="Enter the point of complaint")
    issue = record_choice(
        "Issue (optional)", "Select the issue from the list", empty="No particular issue",
        queryset=IssueCategory.objects.none(),
    )  # fmt: skip

    def prepare(self) -> None:
        issues = self.case.council.issue_categories.filter(is_active=True).order_by("name")
        self.fields["issue"].queryset = issues  # type: ignore[attr-defined]
        point = self.target if isinstance(self.target, ComplaintPoint) else None
        if point is not None and not self.is_bound:
            self.initial.update(description=point.description, issue=point.issue_id)


class ComplaintPointChangeForm(ComplaintPointForm):
    title = "Change the point of complaint"
    submit_label = "Save the changes"
    lede = ""


class CaseLinkForm(ActionForm):
    title = "Change the earlier case"
    submit_label = "Save the change"
    lede = "If this complaint raises again, or resubmits, the matters of an earlier case, say which."

    linked_reference = text_input(
        "Reference of the earlier case (optional)",
        max_length=40,
        hint="Leave it empty if this complaint follows no earlier case.",
    )

    def prepare(self) -> None:
        linked = self.case.linked_case
        if not self.is_bound and linked is not None:
            self.initial["linked_reference"] = linked.reference

    def service_arguments(self) -> dict[str, Any]:
        return {"case": self.case, "linked_reference": self.cleaned_data.get("linked_reference") or ""}


class RecommendationRespondForm(ActionForm):
    title = "Record the council's response to the recommendation"
    submit_label = "Save the response"

    accepted = yes_no(
        "Will the council follow the recommendation?",
        "Select whether the council will follow the recommendation",
        choices=[("yes", "Yes"), ("no", "No")],
    )
    reason = text_area(
        "If not, why not?", required=False, hint="The council must give its reasons for not following it."
    )
    follow_up_action = text_area(
        "If it will, what will the council do? (optional)", required=False, hint="For example, who will do what."
    )
    follow_up_due_date = date_field("the date it is due", "By when? (optional)", required=False)

    def prepare(self) -> None:
        rec = self.target
        self.fields["accepted"].label = f"Will the council follow recommendation {rec.number}: {rec.text}"
        if not self.is_bound:
            accepted = None if rec.accepted is None else ("yes" if rec.accepted else "no")
            self.initial.update(
                accepted=accepted,
                reason=rec.reason,
                follow_up_action=rec.follow_up_action,
                follow_up_due_date=rec.follow_up_due_date,
            )

    def service_arguments(self) -> dict[str, Any]:
        arguments = super().service_arguments()
        return {**arguments, **{k: arguments[k] or "" for k in ("reason", "follow_up_action")}}


# -- remedies and learning -------------------------------------------------------------------------------------


def remedy_amount() -> forms.DecimalField:
    """The amount of a remedy: pounds and pence ("£250", "250.00", "1,250.50"), from a penny to £100,000."""
    return MoneyField(
        label="Amount in pounds (only for a financial remedy)",
        help_text="For example, 250 or 1,250.50",
        required=False,
        min_value=REMEDY_AMOUNT_MIN,
        max_value=REMEDY_AMOUNT_MAX,
        max_digits=10,
        decimal_places=2,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        error_messages={
            "invalid": "Enter the amount in pounds and pence, like 250 or 250.50",
            "min_value": "The amount must be at least £0.01",
            "max_value": "The amount must be £100,000 or less",
            "max_decimal_places": "Enter the amount with no more than 2 decimal places, like 250.50",
        },
    )


class RemedyProposeForm(ActionForm):
    """Propose a remedy (R3.7): what, and by when where that is known. It can be changed until it is approved."""

    title = "Propose a remedy"
    submit_label = "Propose the remedy"
    lede = "A complaints manager or the adjudicator approves the remedy before it is paid or delivered."

    remedy_type = forms.ModelChoiceField(
        label="What kind of remedy?",
        queryset=RemedyType.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"required": "Select the kind of remedy", "invalid_choice": "Select the kind of remedy"},
    )
    stage = record_choice(
        "Which stage is it from? (optional)", STAGE_ERROR, empty="Not a particular stage", queryset=None
    )
    description = text_area("What will be done? (optional)", required=False)
    amount = remedy_amount()
    due_date = date_field(
        "the date it is due", "When is it to be done by? (optional)", required=False,
        hint="On an Ombudsman case, the Ombudsman's compliance date if you leave it blank.",
    )  # fmt: skip

    def prepare(self) -> None:
        remedy_types = self.case.council.remedy_types.filter(is_active=True).order_by("name")
        self.fields["remedy_type"].queryset = remedy_types  # type: ignore[attr-defined]
        self.fields["stage"].queryset = self.case.stages.order_by("number")  # type: ignore[attr-defined]
        self.fields["stage"].label_from_instance = _stage_label  # type: ignore[attr-defined]


class RemedyChangeForm(RemedyProposeForm):
    title = "Change the proposed remedy"
    submit_label = "Save the changes"
    lede = "A remedy can be changed until it is approved."

    def prepare(self) -> None:
        super().prepare()
        remedy = self.target
        self.initial.update(
            remedy_type=remedy.remedy_type_id, stage=remedy.stage_id, description=remedy.description,
            amount=remedy.amount, due_date=remedy.due_date,
        )  # fmt: skip


class RemedyApproveForm(ActionForm):
    title = "Approve the remedy"
    submit_label = "Approve the remedy"
    lede = (
        "Once approved, the remedy can no longer be changed. A payment is approved by someone other than the "
        "person who proposed it."
    )

    approved_date = date_field("the date it was approved", "Date approved", past=True)
    due_date = date_field("the date it is due", "When is it to be paid or delivered by?")

    def prepare(self) -> None:
        self.initial.update(approved_date=self.today, due_date=self.target.due_date)


class LearningActionForm(ActionForm):
    title = "Add a learning action"
    submit_label = "Save the learning action"
    service_fields: ClassVar[dict[str, str]] = {"action_text": "action"}

    finding = text_area("What did the complaint show?", error="Enter what the complaint showed")
    action = text_area("What will change?", error="Enter what will change")
    owner = _user_choice("Who owns it? (optional)", "No one yet", "Select the owner from the list")
    team = record_choice(
        "Which team? (optional)", "Select the team from the list", empty="No particular team",
        queryset=Team.objects.none(),
    )  # fmt: skip
    due_date = date_field("the date it is due", "When is it due? (optional)", required=False)

    def prepare(self) -> None:
        self.fields["owner"].queryset = members(self.case)  # type: ignore[attr-defined]
        teams = self.case.council.teams.filter(active_until__isnull=True).order_by("name")
        self.fields["team"].queryset = teams  # type: ignore[attr-defined]

    def service_arguments(self) -> dict[str, Any]:
        arguments = super().service_arguments()
        del arguments["case"]
        return {**arguments, "council": self.case.council, "cases": [self.case]}


class LearningActionUpdateForm(LearningActionForm):
    title = "Change the learning action"
    submit_label = "Save the changes"
    argument_names: ClassVar[dict[str, str]] = {"action": "action_text"}

    status = radios(
        "Where is it?",
        [(c.LearningActionStatus.PLANNED, "Planned"), (c.LearningActionStatus.IN_PROGRESS, "In progress")],
        "Select where the learning action is",
    )

    def prepare(self) -> None:
        super().prepare()
        action = self.target
        self.initial.update(
            finding=action.finding, action=action.action, owner=action.owner_id, team=action.team_id,
            due_date=action.due_date, status=action.status,
        )  # fmt: skip

    def service_arguments(self) -> dict[str, Any]:
        return ActionForm.service_arguments(self)


# -- other representations and the Ombudsman -------------------------------------------------------------------


class RepresentationRespondForm(ActionForm):
    """The response to a representation, offering the outcomes of its kind (``cases.kinds``): none for a
    compliment, "answered" for an enquiry."""

    title = "Record the response"
    submit_label = "Record the response"

    responded_date = date_field("the date of the response", "Date of the response", past=True)
    outcome = radios("Outcome", [], "Select the outcome", required=False)

    def prepare(self) -> None:
        choices = list(kind_of(self.case.kind).outcomes)
        if len(choices) < 2:
            del self.fields["outcome"]
            return
        self.fields["outcome"].choices = choices  # type: ignore[attr-defined]
        self.initial.setdefault("outcome", "")

    def service_arguments(self) -> dict[str, Any]:
        return {**super().service_arguments(), "outcome": self.cleaned_data.get("outcome") or ""}


class DocumentUploadForm(ActionForm):
    title = "Upload a document"
    submit_label = "Upload"

    file = forms.FileField(
        label="Choose a file",
        error_messages={"required": "Select a file", "empty": "The selected file is empty"},
    )
    kind = radios("What is it?", DocumentKind.choices, "Select what kind of document it is")
    description = text_input("Description (optional)", max_length=500)
    stage = record_choice("Which stage is it about? (optional)", STAGE_ERROR, empty="The whole case", queryset=None)

    def prepare(self) -> None:
        limit = filesizeformat(casework_services.max_upload_bytes())
        self.fields["file"].help_text = f"{FILE_TYPES}, smaller than {limit}."
        stage = self.fields["stage"]
        stages = self.case.stages.order_by("number")
        stage.label_from_instance = _stage_label  # type: ignore[attr-defined]
        only = self.permissions.stage_ids if self.permissions else None
        if only is not None:
            # Someone who sees only their stage files what they add there, or they could not see it again.
            stages = stages.filter(pk__in=only)
            stage.required, stage.label, stage.empty_label = True, "Which stage is it about?", None  # type: ignore[attr-defined]
            stage.error_messages["required"] = "Select the stage it is about"
        stage.queryset = stages  # type: ignore[attr-defined]


# -- messages that could not be sent ----------------------------------------------------------------------------


class MessageMarkSentForm(ActionForm):
    title = "Mark the message as sent by hand"
    submit_label = "Mark as sent"
    lede = (
        "Record that it went out another way, for example printed and posted. It will then never be sent automatically."
    )
    service_fields: ClassVar[dict[str, str]] = {"sent_at": "sent_date"}

    sent_date = date_field(
        "the date it was sent", "Date sent", hint="The day it was posted, emailed or handed over.", past=True
    )
    sent_via = radios("How was it sent?", SentVia.choices, "Select how it was sent")

    def service_arguments(self) -> dict[str, Any]:
        sent_on = self.cleaned_data["sent_date"]
        sent_at = notification_services.hand_sent_at(sent_on=sent_on, now=timezone.now())
        return {"message": self.target, "sent_at": sent_at, "sent_via": self.cleaned_data["sent_via"]}


# -- who may see a restricted case (docs/adr/0005-roles-and-access.md) -----------------------------------------


class CaseRestrictForm(ActionForm):
    title = "Restrict who can see this case"
    submit_label = "Restrict the case"
    warning = True
    lede = (
        "Only the people you name, and you, will see the case, as their role allows. Restrict a case about someone "
        "who could otherwise read it, such as a member of the complaints team or a senior officer."
    )
    service_fields: ClassVar[dict[str, str]] = {"named_users": "named_users"}

    reason = text_area("Why is the case restricted?", error="Enter why the case is restricted")
    named_users = UserMultipleChoiceField(
        label="Who else needs to see it? (optional)",
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Select people from the list", "invalid_pk_value": "Select people"},
    )

    def prepare(self) -> None:
        others = nameable(self.case).exclude(pk__in=[self.acting_user.pk] if self.acting_user else [])
        self.fields["named_users"].queryset = others  # type: ignore[attr-defined]


class CaseAccessGrantForm(ActionForm):
    title = "Name someone on this restricted case"
    submit_label = "Name them on the case"
    service_fields: ClassVar[dict[str, str]] = {"named_users": "user"}

    user = _user_choice(
        "Who needs to see the case?", "Choose a person", "Select a person", required="Select who needs to see the case"
    )
    reason = text_area("Why do they need to see it?", error="Enter why they need to see the case")

    def prepare(self) -> None:
        named = [grant.user_id for grant in case_access_grants(case=self.case, now=timezone.now())]
        self.fields["user"].queryset = nameable(self.case).exclude(pk__in=named)  # type: ignore[attr-defined]


BreakGlassForm = declare(
    "Get emergency access to a restricted case",
    "Get emergency access",
    name="BreakGlassForm",
    warning=True,
    reason=text_area(
        "Why do you need to see this case now?",
        error="Enter why you need to see this case now",
        hint="Your reason is recorded with your name, and the other complaints managers can see it.",
    ),
)


# -- notes and contacts ----------------------------------------------------------------------------------------

_TIME = re.compile(r"^([01]?\d|2[0-3])[:.]([0-5]\d)$")


class CaseNoteForm(ActionForm):
    """A note, or a contact with someone outside the system. The time is London's."""

    title = "Add a note or contact"
    submit_label = "Save the note"
    lede = "Record a call, meeting, email or letter outside the system, or a note about the case."

    kind = radios("What kind of entry is it?", c.NoteKind.choices, "Select what kind of entry it is")
    occurred_on = date_field("the date of the contact", "When was it?", past=True)
    occurred_time = text_input(
        "At what time? (optional)", max_length=5, hint="Use the 24-hour clock, for example 14:30"
    )
    with_whom = text_input("Who was it with? (optional)", max_length=200, hint="For example, the complainant's mother")
    direction = radios(
        "Who made the contact?",
        [(c.NoteDirection.IN, "They contacted us"), (c.NoteDirection.OUT, "We contacted them"), ("", "Not a contact")],
        "Select who made the contact",
        required=False,
    )
    summary = text_area("What was said or done?", error="Enter what was said or done")
    restricted = forms.BooleanField(
        label="Restrict this note to complaints managers and the people named on a restricted case",
        required=False,
    )
    service_fields: ClassVar[dict[str, str]] = {"occurred_at": "occurred_on"}

    def prepare(self) -> None:
        note = self.target if isinstance(self.target, CaseNote) else None
        if note is not None and not self.is_bound:
            local = timezone.localtime(note.occurred_at)
            self.initial.update(
                kind=note.kind, occurred_on=local.date(), occurred_time=f"{local:%H:%M}", with_whom=note.with_whom,
                direction=note.direction, summary=note.summary, restricted=note.restricted,
            )  # fmt: skip

    def layout_fields(self) -> list[Any]:
        return [Field.checkbox(name) if name == "restricted" else self._field(name) for name in self.fields]

    def clean_occurred_time(self) -> str:
        value = (self.cleaned_data.get("occurred_time") or "").strip()
        if value and not _TIME.match(value):
            raise forms.ValidationError("Enter the time as hours and minutes, for example 14:30")
        return value

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        hours, minutes = (
            (int(p) for p in re.split(r"[:.]", data["occurred_time"])) if data["occurred_time"] else (12, 0)
        )
        when = datetime.combine(data["occurred_on"], time(hours, minutes), tzinfo=timezone.get_current_timezone())
        return {
            self.keyword: self.target, "kind": data["kind"], "occurred_at": when, "summary": data["summary"],
            "with_whom": data.get("with_whom") or "", "direction": data.get("direction") or "",
            "restricted": bool(data.get("restricted")),
        }  # fmt: skip


class CaseNoteChangeForm(CaseNoteForm):
    title = "Change the note"
    submit_label = "Save the changes"
    lede = ""


# -- correcting the details after registration (cases.services.details) ---------------------------------------


class DetailsForm(ActionForm):
    """A group of details of the record, pre-filled with what is recorded; the service gets them as ``values``.
    ``sources`` says where each field's current value is read: an attribute path from the record."""

    sources: ClassVar[dict[str, str]] = {}

    def prepare(self) -> None:
        if not self.is_bound:
            for name in self.base_fields:
                value: Any = self.target
                for part in self.sources.get(name, name).split("."):
                    value = getattr(value, part)
                self.initial.setdefault(name, value)

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {self.keyword: self.target, "values": {name: data.get(name) for name in self.base_fields}}


def details(title: str, **attrs: Any) -> Any:
    """The form of a group of details of the record, read from its attributes of the same names."""
    return declare(title, "Save the change", base=DetailsForm, **attrs)


_PERSON = ("first_name", "last_name", "email", "phone", "address", "postcode", "date_of_birth")


def person_details(title: str, **attrs: Any) -> Any:
    """The form of a group of details of a complainant's or a child's person."""
    sources = {name: f"person.{name}" for name in _PERSON}
    return declare(title, "Save the change", base=DetailsForm, sources=sources, **attrs)


class CaseReceiptForm(ActionForm):
    """The date received, corrected through ``case_receipt_correct`` so every deadline is worked out again."""

    title = "Change the date received"
    submit_label = "Save the change"
    lede = "Every due date that runs from the date received is worked out again."

    received_date = date_field("the date received", "Date received", past=True)
    reason = text_area("Why is the date changing?", error="Enter why the date is changing")

    def prepare(self) -> None:
        if not self.is_bound:
            self.initial.setdefault("received_date", self.case.received_date)

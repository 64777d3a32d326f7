"""Helpers shared by the interchange tests."""

from django.apps import apps

from opencomplaints.audit.append_only import audit_trail_unlocked
from opencomplaints.audit.models import AuditEvent

# Deleted children first: most foreign keys protect what they point to.
_ORDER = [
    ("correspondence", "Letter"),  # a letter protects the message that emailed it
    ("reporting", "PublishedReportFile"),  # a published report's files protect it
    ("interchange", "ImportMapping"),
    ("interchange", "ImportRun"),
    ("cases", "CaseAccessGrant"),
    ("cases", "Deadline"),
    ("cases", "PointFinding"),
    ("cases", "Recommendation"),
    ("cases", "PanelMember"),
    ("cases", "Hold"),
    ("cases", "Remedy"),
    ("cases", "ComplaintPoint"),
    ("cases", "CaseTeam"),
    ("cases", "CaseIssue"),
    ("cases", "CaseComplainant"),
    ("cases", "CaseChild"),
    ("cases", "OmbudsmanDetail"),
    ("cases", "EnquiryDetail"),
    ("cases", "ComplimentDetail"),
    ("cases", "Stage"),
    ("cases", "LearningAction"),
    ("cases", "ReferenceSequence"),
]


def empty_installation() -> None:
    """Delete every council and everything recorded for it, as if the installation were new (the audit trail too,
    with its append-only triggers lifted for the moment, as a flush of the database does)."""
    with audit_trail_unlocked():
        _delete_everything()


def _delete_everything() -> None:
    AuditEvent.objects.all().delete()
    for label, name in _ORDER:
        apps.get_model(label, name).objects.all().delete()
    case = apps.get_model("cases", "Case")
    case.objects.update(linked_case=None)
    for model in apps.get_models():
        if model._meta.app_label not in {"cases", "councils"} and any(
            f.is_relation and f.related_model is case for f in model._meta.get_fields() if f.concrete
        ):
            model._default_manager.all().delete()
    case.objects.all().delete()
    apps.get_model("cases", "Person").objects.all().delete()
    for name in (
        "Team",
        "ServiceArea",
        "IssueCategory",
        "RemedyType",
        "CorporateProcedure",
        "LocalTimescales",
        "CouncilMembership",
        "Contact",
    ):
        model = apps.get_model("councils", name)
        if name == "Team":
            model._default_manager.update(predecessor=None)
        if name in {"CorporateProcedure", "LocalTimescales"}:
            model._default_manager.update(supersedes=None)  # each version protects the one it replaced
        model._default_manager.all().delete()
    for model in apps.get_models():
        if model._meta.app_label not in {"councils"} and any(
            f.is_relation and f.related_model is apps.get_model("councils", "Council")
            for f in model._meta.get_fields()
            if f.concrete
        ):
            model._default_manager.all().delete()
    apps.get_model("councils", "Council").objects.all().delete()

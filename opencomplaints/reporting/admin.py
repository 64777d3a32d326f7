from django.contrib import admin
from django.http import HttpRequest

from opencomplaints.reporting.models import ContextFigures, HistoricFigure, ReportDraft, ReportFile


@admin.register(ContextFigures)
class ContextFiguresAdmin(admin.ModelAdmin[ContextFigures]):
    list_display = ["council", "year", "referrals", "children_in_need", "children_looked_after", "population_0_17"]
    list_filter = ["council"]
    ordering = ["council", "-year"]


@admin.register(HistoricFigure)
class HistoricFigureAdmin(admin.ModelAdmin[HistoricFigure]):
    list_display = ["council", "year", "measure", "value"]
    list_filter = ["council", "measure"]
    ordering = ["council", "measure", "year"]


@admin.register(ReportFile)
class ReportFileAdmin(admin.ModelAdmin[ReportFile]):
    """To see what became of a person's report files (why one failed); the files themselves are their
    requester's alone, so the admin neither changes, deletes nor offers them."""

    list_display = ["id", "requested_by", "period_label", "file_format", "status", "created_at", "expires_at"]
    list_filter = ["status", "file_format"]
    ordering = ["-created_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: ReportFile | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: ReportFile | None = None) -> bool:
        return False  # the daily job deletes a file with its row's status; a row deleted here would leave the file


@admin.register(ReportDraft)
class ReportDraftAdmin(admin.ModelAdmin[ReportDraft]):
    """To see where each council's annual report is on its way to publication. The workflow's pages change it (with
    the roles and audit events they check and record); a published report is frozen, so the admin changes nothing."""

    list_display = ["council", "procedure", "year", "status", "last_edited_by", "published_at"]
    list_filter = ["status", "procedure", "council"]
    ordering = ["council", "-year", "procedure"]
    exclude = ["report_json"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: ReportDraft | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: ReportDraft | None = None) -> bool:
        return False

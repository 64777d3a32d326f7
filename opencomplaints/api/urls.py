from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from oauth2_provider.views import TokenView

from opencomplaints.api import cases, deadlines, jobs, records, views
from opencomplaints.api.actions import action_views

app_name = "api"

CASE = "cases/<str:case_id>/"
v1 = [
    path("deadlines/", deadlines.DeadlineCalculateApi.as_view(), name="deadline-calculate"),
    path("cases/", cases.CaseListApi.as_view(), name="case-list"),
    path(CASE, cases.CaseDetailApi.as_view(), name="case-detail"),
    path(f"{CASE}notes/", records.NoteListApi.as_view(), name="note-list"),
    path(f"{CASE}documents/", records.DocumentListApi.as_view(), name="document-list"),
    path(f"{CASE}documents/<str:document_id>/file/", records.DocumentFileApi.as_view(), name="document-file"),
    path(f"{CASE}ombudsman/", records.OmbudsmanDetailApi.as_view(), name="ombudsman-detail"),
    path(f"{CASE}learning-actions/", records.LearningActionListApi.as_view(), name="learning-action-list"),
    path(
        f"{CASE}learning-actions/<str:action_id>/",
        records.LearningActionDetailApi.as_view(),
        name="learning-action-detail",
    ),
    # Reports, imports and exports as jobs (api.jobs): start, poll, download.
    path("reports/", jobs.ReportStartApi.as_view(), name="report-start"),
    path("reports/<str:report_file_id>/", jobs.ReportFileDetailApi.as_view(), name="report-detail"),
    path("reports/<str:report_file_id>/file/", jobs.ReportFileApi.as_view(), name="report-file"),
    path("imports/", jobs.ImportStartApi.as_view(), name="import-start"),
    path("imports/<str:run_id>/", jobs.ImportDetailApi.as_view(), name="import-detail"),
    path("imports/<str:run_id>/confirm/", jobs.ImportConfirmApi.as_view(), name="import-confirm"),
    path("exports/", jobs.ExportStartApi.as_view(), name="export-start"),
    path("exports/<str:export_file_id>/", jobs.ExportFileDetailApi.as_view(), name="export-detail"),
    path("exports/<str:export_file_id>/file/", jobs.ExportFileApi.as_view(), name="export-file"),
    # The stage and case actions: each a casework declaration (api.actions).
    *(path(route, view.as_view(), name=name) for route, view, name in action_views()),
]

urlpatterns = [
    path("v1/", include((v1, "v1"))),
    path("tokens/", views.api_tokens, name="tokens"),
    # A system integration's access token, for its client id and secret (OAuth 2.0 client credentials).
    path("oauth/token/", TokenView.as_view(), name="oauth-token"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves Swagger UI's start-up script as a file, which the content security policy allows.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
]

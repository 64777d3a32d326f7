from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from oauth2_provider.views import TokenView

from opencomplaints.api import cases, deadlines, records, views
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

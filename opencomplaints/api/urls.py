from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from opencomplaints.api import cases, deadlines, views

app_name = "api"

v1 = [
    path("deadlines/", deadlines.DeadlineCalculateApi.as_view(), name="deadline-calculate"),
    path("cases/", cases.CaseListApi.as_view(), name="case-list"),
    path("cases/<str:case_id>/", cases.CaseDetailApi.as_view(), name="case-detail"),
]

urlpatterns = [
    path("v1/", include((v1, "v1"))),
    path("tokens/", views.api_tokens, name="tokens"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves Swagger UI's start-up script as a file, which the content security policy allows.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
]

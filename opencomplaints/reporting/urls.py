from django.urls import path

from opencomplaints.reporting import publication_views, views

app_name = "reporting"

urlpatterns = [
    path("", views.report_page, name="report"),
    path("tables/", views.table_builder, name="table-builder"),
    path("files/", views.report_file_list, name="report-file-list"),
    path("files/new/", views.report_file_request, name="report-file-request"),
    path("files/<int:report_file_id>/", views.report_file_detail, name="report-file-detail"),
    path("files/<int:report_file_id>/status.json", views.report_file_status, name="report-file-status"),
    path("files/<int:report_file_id>/download/", views.report_file_download, name="report-file-download"),
    # The publication workflow (publication_views): drafts, narrative, approval, the frozen published files.
    path("publication/", publication_views.report_draft_list, name="report-draft-list"),
    path("publication/<int:draft_id>/", publication_views.report_draft_detail, name="report-draft-detail"),
    path(
        "publication/<int:draft_id>/narrative/",
        publication_views.report_draft_narrative_save,
        name="report-draft-narrative",
    ),
    path(
        "publication/<int:draft_id>/context/", publication_views.report_draft_context_save, name="report-draft-context"
    ),
    path(
        "publication/<int:draft_id>/quotes/<int:compliment_id>/",
        publication_views.report_draft_quote_review,
        name="report-draft-quote",
    ),
    path("publication/<int:draft_id>/return/", publication_views.report_draft_return, name="report-draft-return"),
    path(
        "publication/<int:draft_id>/reproduce/",
        publication_views.report_draft_reproduce,
        name="report-draft-reproduce",
    ),
    path(
        "publication/<int:draft_id>/files/<str:file_format>/",
        publication_views.report_draft_download,
        name="report-draft-download",
    ),
    path(
        "publication/<int:draft_id>/<str:step>/",
        publication_views.report_draft_transition,
        name="report-draft-transition",
    ),
]

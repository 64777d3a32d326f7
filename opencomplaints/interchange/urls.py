from django.urls import path

from opencomplaints.interchange import views

app_name = "interchange"

urlpatterns = [
    path("imports/", views.import_list, name="import-list"),
    path("imports/new/", views.import_create, name="import-create"),
    path("imports/archive/", views.archive_import_view, name="archive-import"),
    path("imports/archive/<int:run_id>/", views.archive_import_detail, name="archive-import-detail"),
    path("imports/<int:run_id>/", views.import_detail, name="import-detail"),
    path("imports/<int:run_id>/mapping/", views.import_mapping_save, name="import-mapping-save"),
    path("imports/<int:run_id>/confirm/", views.import_confirm, name="import-confirm"),
    path("imports/<int:run_id>/progress/", views.import_progress, name="import-progress"),
    path("imports/<int:run_id>/status.json", views.import_status, name="import-status"),
    path("imports/<int:run_id>/problems.csv", views.import_errors, name="import-errors"),
    path("export/", views.records_export_view, name="records-export"),
    path("subject-access/", views.subject_access_export_view, name="subject-access-export"),
]

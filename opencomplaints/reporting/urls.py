from django.urls import path

from opencomplaints.reporting import views

app_name = "reporting"

urlpatterns = [
    path("", views.report_page, name="report"),
    path("tables/", views.table_builder, name="table-builder"),
    path("files/", views.report_file_list, name="report-file-list"),
    path("files/new/", views.report_file_request, name="report-file-request"),
    path("files/<int:report_file_id>/", views.report_file_detail, name="report-file-detail"),
    path("files/<int:report_file_id>/status.json", views.report_file_status, name="report-file-status"),
    path("files/<int:report_file_id>/download/", views.report_file_download, name="report-file-download"),
]

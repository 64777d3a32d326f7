from django.urls import path

from opencomplaints.reporting import views

app_name = "reporting"

urlpatterns = [
    path("", views.report_page, name="report"),
    path("download/", views.report_download, name="report-download"),
]

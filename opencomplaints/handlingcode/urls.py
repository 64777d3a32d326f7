from django.urls import path

from opencomplaints.handlingcode import views

app_name = "handlingcode"

urlpatterns = [
    path("", views.self_assessment, name="self-assessment"),
    path("answer/", views.answer, name="answer"),
    path("ombudsman-letter/", views.ombudsman_letter, name="ombudsman-letter"),
    path("evidence/", views.evidence_download, name="evidence-download"),
    path("report/", views.report_download, name="report-download"),
]

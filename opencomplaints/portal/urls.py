"""The public portal: its own address space, outside the staff pages (/complain/, /compliment/, /follow/)."""

from django.urls import path

from opencomplaints.portal import views

app_name = "portal"

_complaint = "complain/<slug:council>"
_compliment = "compliment/<slug:council>"

urlpatterns = [
    path("complain/", views.complaint_start, name="complaint-start"),
    path(f"{_complaint}/", views.complaint_council_start, name="complaint-council-start"),
    path(f"{_complaint}/complaint-sent/", views.confirmation, name="complaint-confirmation"),
    path(f"{_complaint}/<slug:version>/check-answers/", views.check_answers, name="complaint-check"),
    path(f"{_complaint}/<slug:version>/<slug:step>/", views.question, name="complaint-question"),
    path("compliment/", views.compliment_start, name="compliment-start"),
    path(f"{_compliment}/", views.compliment_council_start, name="compliment-council-start"),
    path(f"{_compliment}/compliment-sent/", views.confirmation, name="compliment-confirmation"),
    path(f"{_compliment}/check-answers/", views.check_answers, name="compliment-check"),
    path(f"{_compliment}/<slug:step>/", views.question, name="compliment-question"),
    path("follow/", views.follow_link_request_view, name="follow-link-request"),
    path("follow/link-sent/", views.follow_link_sent, name="follow-link-sent"),
    path("follow/<str:token>/", views.follow_detail, name="follow-detail"),
    path("follow/<str:token>/documents/", views.follow_document_add, name="follow-document-add"),
    path("follow/<str:token>/feedback/", views.follow_feedback_give, name="follow-feedback-give"),
]

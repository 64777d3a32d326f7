from django.urls import path

from opencomplaints.casework import registration_views, views

app_name = "casework"

_message = "<int:case_id>/messages/<int:message_id>"

urlpatterns = [
    path("register/", registration_views.register, name="register"),
    path("register/complaint/", registration_views.complaint_register, name="complaint-register"),
    path("register/ombudsman/", registration_views.ombudsman_register, name="ombudsman-register"),
    path("register/<slug:kind>/", registration_views.representation_register, name="representation-register"),
    path("<int:case_id>/", views.case_detail, name="case-detail"),
    *views.action_patterns(),
    path("<int:case_id>/who-has-seen/", views.case_access_log, name="case-access-log"),
    path("<int:case_id>/emergency-access/", views.case_break_glass, name="case-break-glass"),
    path("<int:case_id>/documents/<int:document_id>/", views.document_download, name="document-download"),
    path(f"{_message}/", views.message_detail, name="message-detail"),
]

from django.urls import path

from opencomplaints.correspondence import inbound_views, template_views, views

app_name = "correspondence"

_letter = "cases/<int:case_id>/letters/<int:letter_id>"

urlpatterns = [
    path("cases/<int:case_id>/letters/new/", views.compose, name="compose"),
    path(f"{_letter}/edit/", views.compose, name="letter-edit"),
    path(f"{_letter}/", views.preview, name="letter-preview"),
    path(f"{_letter}/letter.<str:kind>", views.letter_file, name="letter-file"),
    path("print-queue/", views.print_queue, name="print-queue"),
    path("templates/", template_views.templates_list, name="templates"),
    path("templates/letterhead/", template_views.letter_settings, name="letter-settings"),
    path("templates/<slug:step>/<slug:audience>/", template_views.template_edit, name="template-edit"),
    path("inbox/", inbound_views.inbox, name="inbox"),
    path("inbox/<int:email_id>/", inbound_views.inbox_email, name="inbox-email"),
    path("cases/<int:case_id>/emails/add/", inbound_views.email_add, name="email-add"),
]

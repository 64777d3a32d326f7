from django.urls import path

from opencomplaints.web import contacts, health, metrics, role_requests, views

app_name = "web"

urlpatterns = [
    path("health/live", health.live, name="health-live"),
    path("health/ready", health.ready, name="health-ready"),
    path("metrics", metrics.metrics, name="metrics"),
    path("deadlines/", views.deadline_calculator, name="deadline-calculator"),
    path("role-requests/", role_requests.role_requests, name="role-requests"),
    path("role-requests/<int:role_request_id>/decide/", role_requests.role_request_decide, name="role-request-decide"),
    path("contacts/", contacts.contact_list, name="contact-list"),
    path("contacts/add/", contacts.contact_add, name="contact-add"),
    path("contacts/<int:contact_id>/", contacts.contact_change, name="contact-change"),
    path("contacts/<int:contact_id>/deactivate/", contacts.contact_deactivate_view, name="contact-deactivate"),
]

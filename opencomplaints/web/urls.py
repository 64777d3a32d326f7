from django.urls import path

from opencomplaints.web import health, metrics, views

app_name = "web"

urlpatterns = [
    path("health/live", health.live, name="health-live"),
    path("health/ready", health.ready, name="health-ready"),
    path("metrics", metrics.metrics, name="metrics"),
    path("deadlines/", views.deadline_calculator, name="deadline-calculator"),
]

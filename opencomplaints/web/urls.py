from django.urls import path

from opencomplaints.web import views

app_name = "web"

urlpatterns = [
    path("deadlines/", views.deadline_calculator, name="deadline-calculator"),
]

from django.urls import path

from opencomplaints.tracker import views

app_name = "tracker"

urlpatterns = [
    path("", views.case_list, name="case-list"),
    path("my-cases/", views.my_cases, name="my-cases"),
    path("export/", views.case_export, name="case-export"),
    path("search/", views.search, name="search"),
    path("learning-actions/", views.learning_action_list, name="learning-action-list"),
    path("ombudsman/", views.ombudsman_list, name="ombudsman-list"),
    path("allocate/", views.case_allocate, name="case-allocate"),
    path("workload/", views.workload_page, name="workload"),
    path("dashboard/", views.dashboard_page, name="dashboard"),
    path("views/", views.saved_view_create_view, name="saved-view-create"),
    path("views/<int:pk>/delete/", views.saved_view_delete_view, name="saved-view-delete"),
    path("remedies/", views.remedy_list, name="remedy-list"),
]

from django.urls import path

from opencomplaints.notifications import views

app_name = "notifications"

urlpatterns = [
    path("notify/receipts/", views.notify_receipt, name="notify-receipt"),
]

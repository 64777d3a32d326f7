from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "opencomplaints.notifications"
    label = "notifications"
    verbose_name = "Messages and notifications"

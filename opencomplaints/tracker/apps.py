from django.apps import AppConfig


class TrackerConfig(AppConfig):
    name = "opencomplaints.tracker"
    label = "tracker"
    verbose_name = "Trackers and search"

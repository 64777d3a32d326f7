from django.apps import AppConfig


class BackupsConfig(AppConfig):
    name = "opencomplaints.backups"
    label = "backups"
    verbose_name = "Backup and restore"

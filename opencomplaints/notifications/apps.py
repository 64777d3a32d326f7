from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "opencomplaints.notifications"
    label = "notifications"
    verbose_name = "Messages and notifications"

    def ready(self) -> None:
        from opencomplaints.notifications import (
            receivers,  # noqa: F401 - connects the receivers
            tasks,  # noqa: F401 - provides the outbox job (common.dispatch)
        )

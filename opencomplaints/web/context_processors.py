from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse

import opencomplaints

# (label, URL name) of the main sections, in the order they appear in the service navigation.
NAVIGATION = (
    ("Home", "web:home"),
    ("Deadline calculator", "web:deadline-calculator"),
)


def service(request: HttpRequest) -> dict[str, Any]:
    """The service name, version and navigation every page needs."""
    navigation = []
    for text, name in NAVIGATION:
        href = reverse(name)
        navigation.append({"text": text, "href": href, "active": request.path == href})
    return {
        "service_name": settings.OPENCOMPLAINTS["SERVICE_NAME"],
        "version": opencomplaints.__version__,
        "navigation": navigation,
    }

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("opencomplaints.tracker.urls")),
    path("", include("opencomplaints.web.urls")),
    path("accounts/", include("opencomplaints.accounts.urls")),
    path("api/", include("opencomplaints.api.urls")),
    path("reports/", include("opencomplaints.reporting.urls")),
    path("complaint-handling-code/", include("opencomplaints.handlingcode.urls")),
    path("cases/", include("opencomplaints.casework.urls")),
    path("data/", include("opencomplaints.interchange.urls")),
    path("correspondence/", include("opencomplaints.correspondence.urls")),
    path("notifications/", include("opencomplaints.notifications.urls")),
    path("", include("opencomplaints.portal.urls")),
    path("admin/", admin.site.urls),
]

handler400 = "opencomplaints.web.views.bad_request"
handler404 = "opencomplaints.web.views.page_not_found"
handler500 = "opencomplaints.web.views.server_error"

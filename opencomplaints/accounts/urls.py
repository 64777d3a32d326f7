from django.contrib.auth import views as auth_views
from django.urls import path

from opencomplaints.accounts.forms import SignInForm

app_name = "accounts"

urlpatterns = [
    path(
        "sign-in/",
        auth_views.LoginView.as_view(template_name="accounts/sign_in.html", authentication_form=SignInForm),
        name="login",
    ),
    path("sign-out/", auth_views.LogoutView.as_view(), name="logout"),
]

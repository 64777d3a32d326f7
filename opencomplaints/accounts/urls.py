from django.urls import path

from opencomplaints.accounts import views

app_name = "accounts"

urlpatterns = [
    path("sign-in/", views.SignInView.as_view(), name="login"),
    path("sign-out/", views.sign_out_view, name="logout"),
    path("two-factor/", views.two_factor_verify, name="two-factor-verify"),
    path("two-factor/set-up/", views.two_factor_enrol, name="two-factor-enrol"),
    path("security/", views.account_security, name="security"),
    path("security/recovery-codes/", views.recovery_codes_new, name="recovery-codes"),
    path("security/new-authenticator-app/", views.authenticator_replace, name="authenticator-replace"),
    path("single-sign-on/", views.SingleSignOnStartView.as_view(), name="oidc-start"),
    path("single-sign-on/callback/", views.SingleSignOnCallbackView.as_view(), name="oidc-callback"),
]

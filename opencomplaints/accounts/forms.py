from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Layout
from django.contrib.auth.forms import AuthenticationForm


class SignInForm(AuthenticationForm):
    """Django's sign-in form, rendered in the GOV.UK style."""

    error_messages = {
        "invalid_login": "Enter a correct username and password. Both are case-sensitive.",
        "inactive": "This account has been deactivated. Ask your system administrator.",
    }

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]  # AuthenticationForm's untyped signature
        self.fields["username"].label = "Username"
        self.fields["password"].label = "Password"
        self.helper = FormHelper()
        self.helper.layout = Layout("username", "password", Button("submit", "Sign in"))

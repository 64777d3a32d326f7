import re
from typing import Any

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Layout
from django import forms
from django.contrib.auth.forms import AuthenticationForm

from opencomplaints.accounts.recovery_codes import recovery_code_normalise

CODE_REQUIRED = "Enter the 6-digit code from your authenticator app"
CODE_FORMAT = "The code must be 6 digits, like 123456"
CODE_WRONG = "The code is not correct. Enter the code your authenticator app shows now"
CODE_LOCKED = "You have entered too many wrong codes. Wait {seconds} seconds, then enter the code your app shows"
SIGN_IN_CODE_REQUIRED = "Enter the 6-digit code from your authenticator app, or a recovery code"
SIGN_IN_CODE_FORMAT = "Enter the 6-digit code from your app, like 123456, or a recovery code, like 7k2mq-9xwbd"
RECOVERY_CODE_WRONG = "The recovery code is not correct or has already been used. Check it, or enter another one"
RECOVERY_CODE_LOCKED = "You have entered too many wrong codes. Wait {seconds} seconds, then enter a recovery code"
PASSWORD_REQUIRED = "Enter your password"  # noqa: S105  # error messages, not passwords
PASSWORD_WRONG = "The password is not correct. Enter the password you sign in with. It is case-sensitive"  # noqa: S105


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


class TwoFactorCodeForm(forms.Form):
    """The 6-digit code from an authenticator app. Spaces and hyphens people type between the digits are ignored."""

    code = forms.CharField(
        label="Code from your authenticator app",
        help_text="The 6-digit code your app shows now, for example 123456",
        max_length=20,
        error_messages={"required": CODE_REQUIRED},
    )

    def __init__(self, *args: Any, submit_label: str = "Continue", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.text("code", field_width=5),
            Button("submit", submit_label),
        )
        widget = self.fields["code"].widget
        widget.attrs.update({"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"})

    def clean_code(self) -> str:
        code = re.sub(r"[\s-]", "", self.cleaned_data["code"])
        if not re.fullmatch(r"\d{6}", code):
            raise forms.ValidationError(CODE_FORMAT)
        return code


class SignInCodeForm(TwoFactorCodeForm):
    """The second step of signing in: the 6-digit code from the app or, for someone who cannot use their app, one of
    their recovery codes (``is_recovery_code`` says which was entered; ``code`` is then its canonical form)."""

    code = forms.CharField(
        label="Code from your authenticator app",
        help_text="The 6-digit code your app shows now, for example 123456, or one of your recovery codes",
        max_length=40,
        error_messages={"required": SIGN_IN_CODE_REQUIRED},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.is_recovery_code = False
        # Recovery codes have letters: a phone's number pad would not let anyone type one.
        del self.fields["code"].widget.attrs["inputmode"]

    def clean_code(self) -> str:
        text = self.cleaned_data["code"]
        digits = re.sub(r"[\s-]", "", text)
        if re.fullmatch(r"\d{6}", digits):
            return digits
        recovery = recovery_code_normalise(text)
        if recovery is None:
            raise forms.ValidationError(SIGN_IN_CODE_FORMAT)
        self.is_recovery_code = True
        return recovery


class PasswordConfirmForm(forms.Form):
    """The person's password, entered again before a change to how they sign in. The field is called ``password``
    so django-axes masks it in the records it keeps of failed attempts."""

    password = forms.CharField(
        label="Your password",
        help_text="The password you use to sign in",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": PASSWORD_REQUIRED},
    )

    def __init__(self, *args: Any, submit_label: str = "Continue", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout("password", Button("submit", submit_label))

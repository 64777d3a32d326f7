from django.http import HttpRequest

from opencomplaints.accounts.two_factor import two_factor_required


def two_factor(request: HttpRequest) -> dict[str, bool]:
    """``two_factor_off``: the demonstration runs without two-factor sign-in, and every staff page says so."""
    return {"two_factor_off": not two_factor_required()}

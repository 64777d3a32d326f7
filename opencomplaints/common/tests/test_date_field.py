from datetime import date

import pytest
from django.core.exceptions import ValidationError

from opencomplaints.common.forms import GovukDateField


def test_a_real_date_is_returned():
    assert GovukDateField(noun="the date received").clean(["7", "12", "2026"]) == date(2026, 12, 7)


@pytest.mark.parametrize("parts", [["31", "2", "2025"], ["1", "1", "99999999999"], ["99999999999", "1", "2025"]])
def test_an_impossible_or_huge_date_is_the_same_clear_message_not_a_server_error(parts):
    with pytest.raises(ValidationError) as refused:
        GovukDateField(noun="the date received").clean(parts)
    assert refused.value.messages == ["The date received must be a real date"]

"""Parsing and formatting dates at the edges (forms, files, messages, the command line), the one place for them.
British formats only; times are shown in London, where the councils are (stored times are aware UTC)."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

__all__ = [
    "DATE_FORMATS",
    "LONDON",
    "DateParseError",
    "age_on",
    "london_date",
    "london_time",
    "long_date",
    "parse_date",
]

LONDON = ZoneInfo("Europe/London")

DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y")


class DateParseError(ValueError):
    pass


def parse_date(value: str) -> date:
    """A date written ``YYYY-MM-DD`` or ``DD/MM/YYYY``; never month-first."""
    text = value.strip()
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()  # noqa: DTZ007 - a calendar date, no time zone involved
        except ValueError:
            continue
    raise DateParseError(f"{value!r} is not a date: write it as YYYY-MM-DD or DD/MM/YYYY, e.g. 2024-03-31.")


def long_date(value: date) -> str:
    """``Monday 13 June 2022``, the GOV.UK style for dates in sentences."""
    return f"{value:%A} {value.day} {value:%B %Y}"


def age_on(born: date, on: date) -> int:
    """Age in whole years on ``on`` of someone born on ``born`` (a 29 February birthday comes on 1 March in other
    years)."""
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def london_date(moment: datetime) -> date:
    """The calendar date in London of an aware ``moment`` (the day a receipt counts from, R5.11, R5.12)."""
    return moment.astimezone(LONDON).date()


def london_time(moment: datetime) -> str:
    """``2:30pm on 13 June 2022`` (``10am`` on the hour), London time, in the GOV.UK style."""
    local = moment.astimezone(LONDON)
    hour = local.hour % 12 or 12
    suffix = "am" if local.hour < 12 else "pm"
    clock = f"{hour}{suffix}" if local.minute == 0 else f"{hour}:{local.minute:02d}{suffix}"
    return f"{clock} on {local.day} {local:%B %Y}"

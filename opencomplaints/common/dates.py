"""Parsing and formatting dates at the edges (forms, files, the command line). British formats only."""

from datetime import date, datetime

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

"""The interchange record as a frozen dataclass. Plain Python: no Django, so metrics can be tested on hand-built
rows and the import can validate without a database."""

from dataclasses import dataclass, field, fields
from datetime import date
from decimal import Decimal


@dataclass(frozen=True, kw_only=True, slots=True)
class Record:
    """One row of the interchange format. Field names are the column names; vocabulary values are the
    interchange codes as strings; lists are tuples; unknown or blank values are ``None`` (or an empty tuple)."""

    council: str = ""
    ref: str
    case_ref: str = ""
    kind: str
    procedure: str | None = None
    stage: int | None = None
    received: date
    acknowledged: date | None = None
    stage2_start: date | None = None
    extended: bool | None = None
    extended_due: date | None = None
    responded: date | None = None
    outcome: str | None = None
    service_area: str | None = None
    teams: tuple[str, ...] = ()
    issues: tuple[str, ...] = ()
    complainant_type: str | None = None
    received_via: str | None = None
    support_category: str | None = None
    child_age: int | None = None
    child_sex: str | None = None
    child_ethnicity: str | None = None
    child_disability: str | None = None
    complainant_age: int | None = None
    complainant_sex: str | None = None
    complainant_ethnicity: str | None = None
    complainant_disability: str | None = None
    complainant_sexual_orientation: str | None = None
    advocacy: bool | None = None
    mediation: str | None = None
    compensation: Decimal | None = None
    remedies: tuple[str, ...] = ()
    panel_date: date | None = None
    panel_report_date: date | None = None
    lgsco_decision: str | None = None
    lgsco_decision_label: str | None = None
    topic: str | None = None
    summary: str | None = field(default=None, repr=False)  # personal data: kept out of logs and reprs

    @property
    def group_ref(self) -> str:
        """The reference that groups the stages of one complaint (``case_ref``, defaulting to ``ref``)."""
        return self.case_ref or self.ref

    @property
    def principal_issue(self) -> str | None:
        """The first issue named is the principal one (interchange §2)."""
        return self.issues[0] if self.issues else None


#: The interchange columns in file order (the dataclass's field order).
INTERCHANGE_COLUMNS: tuple[str, ...] = tuple(f.name for f in fields(Record))

"""The configuration every new council starts with (``council_create``). Councils change it afterwards.

Kept as data so the demonstration data, importers and tests use the same lists as the service.
"""

from dataclasses import dataclass

#: What complaints are about, as councils' annual reports tabulate them (rules §7, "Issue categories").
DEFAULT_ISSUE_CATEGORIES: tuple[str, ...] = (
    "Communication or lack of it",
    "Staff attitude or behaviour",
    "Delay",
    "Quality of assessment or report",
    "Inaccurate information or records",
    "Decision disputed",
    "Service not provided, cancelled or withdrawn",
    "Contact arrangements",
    "Placement",
    "Finance or allowances",
    "Data breach or confidentiality",
    "Discrimination",
    "Complaint handling",
)


@dataclass(frozen=True, kw_only=True)
class RemedyTypeDefault:
    code: str
    name: str
    is_financial: bool = False


#: Ways of putting things right (R3.7, R4.5). ``code`` is the interchange vocabulary, so it never changes once
#: data has been exchanged; the names are what councils see and may reword.
DEFAULT_REMEDY_TYPES: tuple[RemedyTypeDefault, ...] = (
    RemedyTypeDefault(code="apology", name="Apology"),
    RemedyTypeDefault(code="explanation", name="Explanation, assistance or reasons"),
    RemedyTypeDefault(code="financial", name="Financial remedy", is_financial=True),
    RemedyTypeDefault(code="service_provided", name="Service or assessment provided"),
    RemedyTypeDefault(code="procedure_change", name="Change to policy, procedure or practice"),
    RemedyTypeDefault(code="training", name="Training or guidance"),
    RemedyTypeDefault(code="other", name="Other"),
)

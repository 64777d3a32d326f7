"""Fixtures for the interchange tests: files built by hand, and a council with the structure they name."""

from datetime import date

import pytest

from opencomplaints.councils.services import council_create, service_area_create, team_create

# Every test runs "today" on this date, so the files' dates are fixed.
TODAY = date(2024, 6, 28)

HEADER = (
    "council,ref,case_ref,kind,procedure,stage,received,stage2_start,extended,extended_due,responded,outcome,"
    "service_area,teams,issues,complainant_type,received_via,support_category,child_age,child_sex,child_ethnicity,"
    "child_disability,complainant_age,complainant_sex,complainant_ethnicity,complainant_disability,"
    "complainant_sexual_orientation,advocacy,mediation,compensation,remedies,panel_date,panel_report_date,"
    "lgsco_decision,lgsco_decision_label,topic,summary"
)

# A file built by hand: every kind, all three stages, extensions, remedies, people and the Ombudsman.
HAND_BUILT = "\n".join(
    [
        HEADER,
        ",C1,C1,complaint,,1,2023-04-03,,yes,2023-05-02,2023-04-28,partly_upheld,Localities,Assessment East;MASH,"
        "Delay;Communication or lack of it,parent_relative,email,cin,9,female,WBRI,no,41,female,white_british,no,"
        'straight,yes,none,150.00,apology,,,,,,=HYPERLINK("http://x")',
        ",C1/2,C1,complaint,,2,2023-05-15,2023-05-22,no,,2023-06-20,not_upheld,Localities,Assessment East;MASH,"
        "Delay;Communication or lack of it,parent_relative,email,cin,9,female,WBRI,no,41,female,white_british,no,"
        'straight,yes,none,,,,,,,,=HYPERLINK("http://x")',
        ",C1/3,C1,complaint,,3,2023-07-03,,no,,2023-09-15,upheld,Localities,Assessment East;MASH,"
        "Delay;Communication or lack of it,parent_relative,email,cin,9,female,WBRI,no,41,female,white_british,no,"
        'straight,yes,none,500.00,financial;training,2023-08-10,2023-08-15,,,,=HYPERLINK("http://x")',
        ",C2,,complaint,corporate,1,15/01/2024,,,,,,,,,,phone,,,,,,,,,,,,,,,,,,,,",
        ",Q1,,query,,,2024-02-01,,,,2024-02-05,,,,,,letter,,,,,,,,,,,,,,,,,,,Council tax,",
        ",MP1,,mp_enquiry,,,2024-03-01,,,,,,,,,,,,,,,,,,,,,,,,,,,,,Housing,",
        ',K1,,compliment,,,2024-03-11,,,,,,,MASH,,,online,,,,,,,,,,,,,,,,,,,,"Thank you, truly"',
        ",O1,,ombudsman,,,2024-01-10,,,,2024-05-20,,,,,,,,,,,,,,,,,,,250.00,apology,,,upheld_fault_injustice,"
        "Upheld: maladministration and injustice,,",
    ]
)


def records_csv(*rows: str) -> bytes:
    """A CSV with the full header and ``rows``."""
    return "\n".join([HEADER, *rows]).encode()


@pytest.fixture
def structured_council(council, complaints_manager):
    """The council fixture with the teams and service area the hand-built file names, and its defaults."""
    from opencomplaints.councils.defaults import DEFAULT_ISSUE_CATEGORIES, DEFAULT_REMEDY_TYPES
    from opencomplaints.councils.models import CorporateProcedure, IssueCategory, RemedyType

    IssueCategory.objects.bulk_create(IssueCategory(council=council, name=n) for n in DEFAULT_ISSUE_CATEGORIES)
    RemedyType.objects.bulk_create(
        RemedyType(council=council, code=r.code, name=r.name, is_financial=r.is_financial) for r in DEFAULT_REMEDY_TYPES
    )
    CorporateProcedure.objects.create(council=council)
    localities = service_area_create(council=council, name="Localities", acting_user=None)
    front_door = service_area_create(council=council, name="Front Door", acting_user=None)
    team_create(service_area=localities, name="Assessment East", acting_user=None)
    team_create(service_area=front_door, name="MASH", acting_user=None)
    return council


@pytest.fixture
def fresh_council(db):
    """A council made as an installation makes one, with its default configuration."""
    return council_create(name="Borough of Exampleton", slug="exampleton", reference_prefix="CSC", acting_user=None)

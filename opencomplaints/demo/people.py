"""Who is in the demonstration: the shared complaints team of personas and their roles, and the synthetic people
who complain and the children they complain about, with equality monitoring shaped like a mixed English borough."""

from __future__ import annotations

from datetime import date, timedelta

from opencomplaints.cases import constants as c
from opencomplaints.cases.services.inputs import PersonInput
from opencomplaints.demo import texts as t
from opencomplaints.demo.draws import Draws, weighted
from opencomplaints.demo.plans import UserPlan

DEMO_PASSWORD = "demo-password-123"  # noqa: S105 - the published password of the synthetic demo users
DEMO_SLUGS: tuple[str, ...] = tuple(council.slug for council in t.COUNCILS)
MAX_COUNCILS = len(t.COUNCILS)

# (username, job title, is_staff, is_superuser). One shared complaints team serves every demo council.
PERSONAS: tuple[tuple[str, str, bool, bool], ...] = (
    ("manager", "Complaints manager", True, False),
    ("officer", "Complaints officer", False, False),
    ("officer2", "Complaints officer", False, False),
    ("investigator", "Investigating officer", False, False),
    ("independent", "Independent person", False, False),
    ("adjudicator", "Head of Service (adjudicator)", False, False),
    ("panel1", "Review panel chair", False, False),
    ("panel2", "Review panel member", False, False),
    ("panel3", "Review panel member", False, False),
    ("viewer", "Performance analyst (reports only)", False, False),
    ("admin", "System administrator", True, True),
    # A second administrator, so a request for a role that sees case content has someone to decide it.
    ("admin2", "Deputy system administrator (IT)", True, True),
)


CENSUS_WEIGHTS: tuple[tuple[str, float], ...] = (
    ("white_british", 52),
    ("other_white", 7),
    ("irish", 1),
    ("gypsy_or_irish_traveller", 0.5),
    ("roma", 0.5),
    ("indian", 4),
    ("pakistani", 4),
    ("bangladeshi", 2),
    ("chinese", 1),
    ("other_asian", 2),
    ("african", 5),
    ("caribbean", 3),
    ("other_black", 1),
    ("white_and_black_caribbean", 2),
    ("white_and_black_african", 1),
    ("white_and_asian", 1),
    ("other_mixed", 1),
    ("arab", 1),
    ("any_other_ethnic_group", 1),
    ("prefer_not_to_say", 3),
    ("not_known", 7),
)
DFE_WEIGHTS: tuple[tuple[str, float], ...] = (
    ("WBRI", 50),
    ("WOTH", 6),
    ("WIRI", 1),
    ("WIRT", 0.5),
    ("WROM", 0.5),
    ("MWBC", 4),
    ("MWBA", 2),
    ("MWAS", 2),
    ("MOTH", 3),
    ("AIND", 3),
    ("APKN", 4),
    ("ABAN", 2),
    ("AOTH", 2),
    ("BCRB", 3),
    ("BAFR", 5),
    ("BOTH", 1),
    ("CHNE", 0.5),
    ("OOTH", 2),
    ("REFU", 1),
    ("NOBT", 8),
)
CHILD_AGES: dict[str, tuple[int, int]] = {
    c.SupportCategory.CLA: (3, 17),
    c.SupportCategory.CARE_LEAVER: (18, 21),
    c.SupportCategory.CIN: (1, 16),
    c.SupportCategory.CP: (0, 15),
    c.SupportCategory.FRONT_DOOR: (0, 16),
    c.SupportCategory.DISABLED_CHILDREN: (4, 17),
    c.SupportCategory.EARLY_HELP: (2, 15),
    c.SupportCategory.OTHER: (5, 16),
}


def plan_users(ctx: Draws) -> tuple[UserPlan, ...]:
    users = []
    for username, job_title, is_staff, is_superuser in PERSONAS:
        users.append(
            UserPlan(
                username=username,
                first_name=ctx.fake.first_name(),
                last_name=ctx.fake.last_name(),
                email=f"{username}@demo.example",
                job_title=job_title,
                is_staff=is_staff,
                is_superuser=is_superuser,
            )
        )
    return tuple(users)


def draw_person(
    ctx: Draws,
    *,
    age: int | None,
    on: date,
    town: str,
    sex: str | None = None,
    last_name: str | None = None,
    child: bool,
) -> PersonInput:
    rng = ctx.rng
    if sex is None:
        sex = weighted(rng, ((c.Sex.FEMALE, 48), (c.Sex.MALE, 48), (c.Sex.UNKNOWN, 4)))
    first_name = ctx.fake.first_name_male() if sex == c.Sex.MALE else ctx.fake.first_name_female()
    last_name = last_name or ctx.fake.last_name()
    date_of_birth = None
    if age is not None:
        date_of_birth = on - timedelta(days=365 * age + rng.randrange(1, 360) + age // 4)
    if child:
        code = weighted(rng, DFE_WEIGHTS)
        scheme = "dfe_csc"
        disability = weighted(rng, ((c.YesNoUnknown.YES, 12), (c.YesNoUnknown.NO, 70), (c.YesNoUnknown.UNKNOWN, 18)))
    else:
        code = weighted(rng, CENSUS_WEIGHTS)
        scheme = "census_2021"
        disability = weighted(rng, ((c.YesNoUnknown.YES, 15), (c.YesNoUnknown.NO, 63), (c.YesNoUnknown.UNKNOWN, 22)))
    if rng.random() < 0.05:
        # Monitoring not completed at all: no scheme, no code.
        scheme, code = "", ""
    orientation: str = c.SexualOrientation.UNKNOWN
    religion = ""
    # R6.4: sexual orientation is asked only of people aged 16 or over.
    if age is not None and age >= 16:
        orientation = weighted(
            rng,
            (
                (c.SexualOrientation.STRAIGHT, 68),
                (c.SexualOrientation.GAY_LESBIAN, 3),
                (c.SexualOrientation.BISEXUAL, 3),
                (c.SexualOrientation.OTHER, 1),
                (c.SexualOrientation.PREFER_NOT_TO_SAY, 8),
                (c.SexualOrientation.UNKNOWN, 17),
            ),
        )
        if rng.random() < 0.75:
            religion = rng.choice(t.RELIGIONS)
    adult = age is None or age >= 18
    return PersonInput(
        first_name=first_name,
        last_name=last_name,
        date_of_birth=date_of_birth,
        email=ctx.fake.safe_email() if adult and rng.random() < 0.85 else "",
        phone=ctx.phone() if adult and rng.random() < 0.8 else "",
        address=f"{ctx.fake.building_number()} {ctx.fake.street_name()}\n{town}" if adult else "",
        postcode=ctx.fake.postcode() if adult else "",
        sex=sex,
        ethnicity_scheme=scheme,
        ethnicity_code=code,
        disability=c.YesNoUnknown.YES if not adult and rng.random() < 0.1 else disability,
        sexual_orientation=orientation,
        religion=religion,
    )


# -- structure -----------------------------------------------------------------------------------------------

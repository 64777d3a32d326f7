"""The words the demonstration data is made of: invented councils, structures, issues and synthetic free text.

Everything here is invented for the demonstration. The shapes follow the published reports councils write
(team names, principal issues, the kinds of learning), but no text is copied from them and nothing names a
real person: free text refers to roles ("the allocated social worker"), never to names.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CouncilText:
    name: str
    slug: str
    reference_prefix: str
    constituencies: tuple[str, ...]
    wards: tuple[str, ...]


# Invented councils; the slugs are how a later run recognises its own data (--replace).
COUNCILS: tuple[CouncilText, ...] = (
    CouncilText(
        name="Borough of Exampleton",
        slug="exampleton",
        reference_prefix="EXA",
        constituencies=("Exampleton North", "Exampleton South and Vale"),
        wards=("Castle", "Riverside", "Millfield", "St Anne's", "Hollowbrook", "Market", "Westgate", "Orchard"),
    ),
    CouncilText(
        name="Northby District Council",
        slug="northby",
        reference_prefix="NBY",
        constituencies=("Northby and Dale", "Northby East"),
        wards=("Abbey", "Fellside", "Harbour", "Kingsmoor", "Lowther", "Sandgate", "Thornfield"),
    ),
)


@dataclass(frozen=True)
class TeamText:
    key: str
    name: str
    # The support categories of the children this team mostly works with (interchange §1 vocabulary).
    support: tuple[str, ...]
    # Relative share of complaints naming the team.
    weight: int
    corporate: bool = False


@dataclass(frozen=True)
class ServiceAreaText:
    key: str
    name: str
    teams: tuple[TeamText, ...]


# The structure before the restructure. Shaped like the reports' service areas (front door, children in need
# and protection, children in care and care leavers, disabled children) with education and SEND complaints,
# which go through the corporate procedure.
STRUCTURE: tuple[ServiceAreaText, ...] = (
    ServiceAreaText(
        key="front_door",
        name="Front Door and Assessment",
        teams=(
            TeamText("mash", "Multi-Agency Safeguarding Hub (MASH)", ("front_door",), 5),
            TeamText("referral_assessment", "Referral and Assessment", ("front_door", "cin"), 12),
        ),
    ),
    ServiceAreaText(
        key="safeguarding",
        name="Children in Need and Protection",
        teams=(
            TeamText("cin", "Child in Need Team", ("cin",), 14),
            TeamText("child_protection", "Child Protection Team", ("cp",), 10),
        ),
    ),
    ServiceAreaText(
        key="children_in_care",
        name="Children in Care and Care Leavers",
        teams=(
            TeamText("cla", "Children Looked After", ("cla",), 12),
            TeamText("leaving_care", "Leaving Care Team", ("care_leaver",), 7),
            TeamText("fostering", "Fostering", ("cla",), 4),
            TeamText("permanence", "Adoption and Permanence", ("cla", "other"), 3),
        ),
    ),
    ServiceAreaText(
        key="disabled_children",
        name="Disabled Children",
        teams=(
            TeamText("disabled_children", "Children and Young Adults with Disabilities", ("disabled_children",), 9),
        ),
    ),
    ServiceAreaText(
        key="early_help",
        name="Early Help",
        teams=(TeamText("early_help", "Early Help Hub", ("early_help",), 4),),
    ),
    ServiceAreaText(
        key="education",
        name="Education and SEND",
        teams=(
            TeamText("send", "SEND Assessment and Review", ("other",), 6, corporate=True),
            TeamText("admissions", "School Admissions", ("other",), 2, corporate=True),
            TeamText("transport", "School Transport", ("other",), 2, corporate=True),
        ),
    ),
)


@dataclass(frozen=True)
class RestructureText:
    """One team ended and succeeded (``team_restructure``): renamed, moved to another service area, or both."""

    team: str
    successor_key: str
    successor_name: str
    successor_area: str


# The restructure in the middle year: a new Family Help service area takes over the Child in Need Team's work,
# and the Leaving Care Team is renamed. The old teams are never renamed in place, so earlier cases keep them.
RESTRUCTURE_NEW_AREAS: tuple[tuple[str, str], ...] = (("family_help", "Family Help"),)
RESTRUCTURE: tuple[RestructureText, ...] = (
    RestructureText("cin", "family_help", "Family Help Team", "family_help"),
    RestructureText("leaving_care", "care_leavers", "Care Leavers Service", "children_in_care"),
)


@dataclass(frozen=True)
class IssueText:
    name: str
    weight: int
    summaries: tuple[str, ...]
    points: tuple[str, ...]


# Issue categories as councils report them (rules §7): the names are ``councils.defaults``'s, so every council
# created by ``council_create`` has them. Summaries and points are synthetic and name roles only.
ISSUES: tuple[IssueText, ...] = (
    IssueText(
        "Communication or lack of it",
        16,
        (
            "The parent says calls and emails to the allocated social worker went unanswered for several weeks.",
            "The family was not told that the social worker had changed and found out at a meeting.",
            "The parent says decisions about the plan were made without being explained to them.",
        ),
        (
            "Messages left for the allocated social worker were not returned.",
            "The family was not told about a change of social worker.",
            "Decisions were not explained clearly to the parent.",
        ),
    ),
    IssueText(
        "Staff attitude or behaviour",
        10,
        (
            "The parent feels the social worker was dismissive during a home visit.",
            "The complainant says a manager spoke to them in an unprofessional way at a review meeting.",
        ),
        (
            "The social worker's manner during a home visit was dismissive.",
            "A manager spoke to the complainant unprofessionally at a meeting.",
        ),
    ),
    IssueText(
        "Delay",
        11,
        (
            "The family has waited months for an assessment that was promised within six weeks.",
            "A referral for support was not progressed and the family was not told why.",
        ),
        (
            "The assessment was not completed within the timescale promised.",
            "A referral for support was not progressed.",
        ),
    ),
    IssueText(
        "Quality of assessment or report",
        13,
        (
            "The parent disagrees with the conclusions of the child and family assessment.",
            "The complainant says the conference report did not record the family's views.",
        ),
        (
            "The child and family assessment did not reflect the family's circumstances.",
            "The report to the conference did not record the family's views.",
        ),
    ),
    IssueText(
        "Inaccurate information or records",
        8,
        (
            "The parent says the case record contains factual errors about past events.",
            "The parent says the minutes of a meeting record things that were not said.",
        ),
        (
            "The case record contains factual inaccuracies.",
            "The minutes of a meeting recorded the complainant's words inaccurately.",
        ),
    ),
    IssueText(
        "Decision disputed",
        9,
        (
            "The parent disagrees with the decision to hold a strategy discussion.",
            "The complainant disputes the decision to end a placement.",
        ),
        (
            "The decision to hold a strategy discussion was not justified.",
            "The decision to end the placement was not properly considered.",
        ),
    ),
    IssueText(
        "Service not provided, cancelled or withdrawn",
        10,
        (
            "The complainant says the personal adviser has not helped find somewhere to live.",
            "The family says the support agreed in the plan was not provided.",
        ),
        (
            "The support agreed in the plan was not provided.",
            "The personal adviser did not help with finding accommodation.",
        ),
    ),
    IssueText(
        "Contact arrangements",
        6,
        (
            "The parent says contact with their child was cancelled at short notice several times.",
            "The complainant says the family was not consulted about changes to contact arrangements.",
        ),
        (
            "Contact sessions were cancelled at short notice.",
            "Changes to contact were made without consulting the family.",
        ),
    ),
    IssueText(
        "Placement",
        7,
        (
            "The complainant says concerns about the supported accommodation were ignored.",
            "The parent is worried about the distance of the placement from the child's school.",
        ),
        (
            "Concerns about the placement were not acted on.",
            "The placement was made without considering the child's schooling.",
        ),
    ),
    IssueText(
        "Finance or allowances",
        4,
        (
            "The complainant says allowances were paid late for three months.",
            "The family says a direct payment was reduced without explanation.",
        ),
        (
            "Allowances were paid late.",
            "The direct payment was reduced without an explanation.",
        ),
    ),
    IssueText(
        "Data breach or confidentiality",
        3,
        ("The parent says their new address was shared with the other parent without consent.",),
        ("Personal information was shared without consent.",),
    ),
    IssueText(
        "Discrimination",
        1,
        ("The parent feels the family was treated differently because of their culture.",),
        ("The family's culture and language needs were not taken into account.",),
    ),
    IssueText(
        "Complaint handling",
        1,
        ("The complainant says an earlier concern was not logged or answered.",),
        ("An earlier concern was not logged as a complaint.",),
    ),
)

# Corporate-procedure complaints (education and SEND): the same categories, their own words.
CORPORATE_ISSUES: tuple[IssueText, ...] = (
    IssueText(
        "Delay",
        5,
        ("The parent says the education, health and care plan was issued weeks after the deadline.",),
        ("The education, health and care plan was issued late.",),
    ),
    IssueText(
        "Service not provided, cancelled or withdrawn",
        4,
        (
            "The parent says the provision in the child's plan has not been put in place.",
            "The parent says the child's school transport was withdrawn without notice.",
        ),
        ("The provision in the plan was not put in place.", "School transport was withdrawn without notice."),
    ),
    IssueText(
        "Communication or lack of it",
        3,
        ("The parent says the casework officer did not reply to emails about the annual review.",),
        ("Emails about the annual review were not answered.",),
    ),
    IssueText(
        "Decision disputed",
        2,
        ("The parent disagrees with the school place offered.",),
        ("The school place offered does not meet the child's needs.",),
    ),
)

EXTENSION_REASONS_STAGE1 = (
    "The complaint involves two teams and the records of both need to be reviewed.",
    "The team manager who will respond is on leave; the complainant agreed a new date.",
    "The complaint raises several points that need information from a partner agency.",
)
EXTENSION_REASONS_STAGE2 = (
    "The investigating officer needs to interview staff who have left the council.",
    "The complaint has many points and the records run to several hundred pages.",
    "The complainant asked for the interview to be rearranged.",
)
# Corporate stage 2 is a review by a senior officer (R3.6), not an investigation.
EXTENSION_REASONS_CORPORATE_STAGE2 = (
    "The reviewing officer needs records from the transport contractor; the complainant agreed a new date.",
    "The review covers decisions by two services and both need to be asked for their records.",
    "The complainant asked to meet the reviewing officer before the response is written.",
)
HOLD_NOTES = {
    "court_proceedings": "Care proceedings are under way on the same matters; the complaint is deferred.",  # reg 8
    "awaiting_advocate": "The young person asked for an advocate; work resumes once one is allocated.",
    "complainant_request": "The complainant asked for a pause while they gathered documents.",
}
# What a stage 1 response says on a point, by its finding (point by point, issue 15 item 4).
POINT_RESPONSES = {
    "upheld": (
        "You are right that this should not have happened, and we are sorry.",
        "We agree with you. The team manager has spoken to the staff involved so that it does not happen again.",
        "We have checked the records and agree that we fell short here. We apologise.",
    ),
    "partly_upheld": (
        "We agree with part of this: some of it was handled well, but we should have kept you better informed.",
        "Part of this is right. The decision itself was sound, but we did not explain it to you clearly enough.",
    ),
    "not_upheld": (
        "We looked at the records and spoke to the staff involved, and found this was handled as it should be.",
        "We understand why you were worried, but the records show the right steps were taken at the time.",
    ),
    "no_finding": ("We could not reach a view on this point from the information we have.",),
}
WITHDRAWAL_NOTES = (
    "The complainant says the matter has been resolved with the team directly.",
    "The complainant no longer wishes to pursue the complaint.",
    "The concerns were resolved at a meeting with the service manager.",
)
DECLINE_NOTES = {
    "corporate": "About the complainant's own housing situation rather than services to the child.",
    "court": "The complaint is about the contents of a court judgment.",
    "conference_complaints": "About a decision of the child protection conference, which has its own process.",
    "fostering_or_adoption_panel": "About a fostering panel recommendation, which has its own review route.",
    "none": "The matters were considered fully at every stage of an earlier complaint.",
}
LATE_ACCEPTANCE = (
    "The young person was in hospital for most of the year and could not raise the complaint sooner.",
    "The records needed to consider the complaint are still held, so it can be considered fairly.",
)
LATE_REQUEST_REASONS = (
    "The complainant was unwell when the stage 1 response arrived.",
    "The stage 1 response was sent to an old address.",
)
STAGE1_SKIPPED_REASON = (
    "The complaint raises serious matters about a placement and the complainant and the council agreed that "
    "local resolution was not appropriate."  # R1.23
)
RECOMMENDATIONS = (
    "Apologise in writing for the delay and explain the steps taken since.",
    "Review the assessment with the family and record their views in full.",
    "Remind staff of the expectation to return calls within two working days.",
    "Correct the inaccurate entries in the case record and confirm this in writing.",
    "Offer a meeting with the service manager to agree a support plan.",
    "Consider a payment to recognise the time and trouble caused.",
)
RECOMMENDATION_REJECTION_REASONS = (
    "The council does not agree that the decision was wrong; it has explained its reasons in the response.",
    "The matter is now before the family court, which will decide it.",
)
LEARNING: tuple[tuple[str, str], ...] = (
    (
        "Families were not told when their social worker changed.",
        "Send a letter introducing the new worker within five working days of any change.",
    ),
    (
        "Assessments were shared with parents too late for them to comment.",
        "Share draft assessments with parents at least five working days before they are finalised.",
    ),
    (
        "Care leavers over 21 were not offered continued support from a personal adviser.",
        "Amend the letter sent to care leavers at 21 to offer a continuing personal adviser.",
    ),
    (
        "Case records contained inaccuracies that families had to correct through complaints.",
        "Add a quarterly audit of case recording to the quality assurance programme.",
    ),
    (
        "Contact sessions were cancelled without telling families in good time.",
        "Introduce a minimum notice period for cancelling contact, with a manager's approval.",
    ),
    (
        "Calls to duty teams went unanswered at busy times.",
        "Publish a call-back standard and report on it monthly to the management team.",
    ),
    (
        "Allowances were paid late after a change of system.",
        "Reconcile foster carers' allowances weekly until the new system is stable.",
    ),
)
NOT_IMPLEMENTED_REASONS = (
    "The team was ended in the restructure and the new service has its own arrangements.",
    "Superseded by a new recording policy adopted across the service.",
)
EVIDENCE = (
    "Audit of twenty cases showed the new standard met in all but one.",
    "Revised letter in use since the date implemented; copy held on file.",
    "Training delivered to all social workers in the team; attendance recorded.",
)

POTENTIAL_TOPICS = (
    "Concern about a delayed visit, resolved by the team manager",
    "Unanswered calls to the duty desk, resolved the same week",
    "Query about a meeting date, resolved by a call back",
    "Concern about contact arrangements, resolved informally",
)
QUERY_TOPICS = (
    "Request for a copy of the child's records",
    "How to apply for a short break",
    "Who the allocated social worker is",
    "Information about becoming a foster carer",
    "Request for help with a school place",
    "Advice on the special guardianship allowance",
)
MP_TOPICS = (
    "Delay in an education, health and care plan",
    "Contact arrangements for a looked after child",
    "Housing support for a care leaver",
    "Progress of a child and family assessment",
    "Support for a disabled child's family",
    "School transport arrangements",
)
MEMBER_TOPICS = (
    "Support for a family in the ward",
    "Delay in responding to a resident",
    "Concern about a placement in the ward",
    "Progress of an early help referral",
)
COMPLIMENT_QUOTES = (
    "The social worker listened to us and explained every step. We felt supported throughout.",
    "Thank you for helping our son settle into his new school. The difference in him is remarkable.",
    "My personal adviser never gave up on me and helped me find my flat.",
    "The team went out of their way to keep the children in touch with their grandparents.",
    "Clear, honest and kind: exactly what our family needed at a difficult time.",
    "The short breaks have given our family room to breathe. Thank you to everyone involved.",
    "You kept your promises and always called back when you said you would.",
)
COMPLIMENT_ABOUT = (
    "The allocated social worker",
    "The personal adviser",
    "The team manager",
    "The family support worker",
    "",
)

# The Ombudsman's own wording, kept verbatim beside the normalised decision (R4.1-R4.4).
LGSCO_LABELS = {
    "upheld_fault_injustice": "Upheld: fault and injustice",
    "upheld_fault_no_injustice": "Upheld: fault, no injustice",
    "upheld_remedied_by_council": "Upheld: satisfactory remedy provided by the authority",
    "not_upheld": "Not upheld: no fault",
    "closed_after_initial_enquiries": "Closed after initial enquiries - no further action",
    "premature": "Referred back for local resolution",
    "out_of_jurisdiction": "Closed after initial enquiries - out of jurisdiction",
    "advice_given": "Advice given",
}
LGSCO_SUMMARIES = (
    "The complainant says the council delayed the stage 2 investigation.",
    "The complainant says the council failed to provide the support agreed in the child's plan.",
    "The complainant disagrees with the outcome of the council's complaint investigation.",
    "The complainant says the council did not complete an assessment in time.",
)
ADVOCACY_ORGANISATION = "Children's Advocacy Service (demonstration)"
RELIGIONS = ("Christian", "Muslim", "No religion", "Hindu", "Sikh", "Jewish", "Buddhist", "Prefer not to say")

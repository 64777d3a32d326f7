"""The Ombudsmen's Complaint Handling Codes as data (R3.5 to R3.8): each provision in our own words, numbered as
the Code numbers it, with its source, and, where the case data can show it, the metric that measures it.

A Code is declared once per version. An assessment stores the version and the wording of every provision it
answered, so a later version never rewrites a saved assessment. Section and paragraph numbers follow the
published Codes (LGSCO: https://www.lgo.org.uk/information-centre/information-for-organisations-we-investigate/
complaint-handling-code/complaint-handling-code ; Housing Ombudsman Complaint Handling Code 2024:
https://www.housing-ombudsman.org.uk/landlords-info/complaint-handling-code/ ), which share one shape.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["CODES", "Code", "Provision", "code_for", "metric_keys"]


@dataclass(frozen=True)
class Provision:
    number: str
    section: int
    text: str
    source: str
    #: The metric of :mod:`opencomplaints.handlingcode.metrics` that measures it; ``""``: answered by the council.
    metric: str = ""

    @property
    def measurable(self) -> bool:
        return bool(self.metric)


@dataclass(frozen=True)
class Code:
    key: str
    version: str
    name: str
    sections: tuple[tuple[int, str], ...]
    provisions: tuple[Provision, ...]

    def provision(self, number: str) -> Provision:
        return next(p for p in self.provisions if p.number == number)


SECTIONS = (
    (1, "Definition of a complaint"),
    (2, "Exclusions"),
    (3, "Accessibility and awareness"),
    (4, "Complaint handling staff"),
    (5, "The complaint handling process"),
    (6, "Complaint stages"),
    (7, "Putting things right"),
    (8, "Self-assessment, reporting and compliance"),
    (9, "Scrutiny and oversight: continuous learning and improvement"),
)


def _provisions(source: str) -> tuple[Provision, ...]:
    def p(number: str, text: str, metric: str = "") -> Provision:
        section = int(number.split(".")[0])
        return Provision(
            number=number, section=section, text=text, source=f"{source}, paragraph {number}", metric=metric
        )

    return (
        p("1.2", "The council uses a definition of a complaint no narrower than the Code's, in its policy."),
        p("1.3", "The council accepts a complaint unless there is a valid reason not to, and tells people the reason."),
        p(
            "2.1",
            "When the council declines a complaint it explains why and how to ask the Ombudsman to look at it.",
            "refused",
        ),
        p("3.1", "People can complain in more than one way, and the council makes reasonable adjustments."),
        p("3.3", "The complaints policy is published on the council's website in clear language."),
        p("4.1", "Someone is responsible for handling complaints and has the authority to resolve them."),
        p("4.3", "Staff who handle complaints are trained and supported to do it well."),
        p("5.1", "The council has one complaints policy for the complaints the Code covers, with two stages."),
        p(
            "6.2",
            "Stage 1 complaints are acknowledged and logged within five working days of receipt.",
            "stage1_acknowledged",
        ),
        p("6.3", "A full stage 1 response is sent within ten working days of the acknowledgement.", "stage1_responded"),
        p(
            "6.4",
            "Any stage 1 extension is no more than ten working days without good reason, and the reason is explained.",
            "stage1_extension",
        ),
        p("6.5", "A complainant told of an extension is also given the Ombudsman's details.", "extension_told"),
        p("6.7", "The response addresses every point raised and gives clear reasons.", "points_addressed"),
        p("6.11", "Stage 2 requests are acknowledged and logged within five working days.", "stage2_acknowledged"),
        p("6.13", "The person who handled stage 1 does not handle stage 2.", "stage2_handler"),
        p(
            "6.15",
            "A final stage 2 response is sent within 20 working days of the acknowledgement.",
            "stage2_responded",
        ),
        p(
            "6.16",
            "Any stage 2 extension is no more than 20 working days without good reason, and the reason is explained.",
            "stage2_extension",
        ),
        p("7.1", "Where something went wrong the council puts it right, with remedies that reflect the impact.", ""),
        p(
            "7.3",
            "Remedies are followed through to completion, or the council explains why one cannot be delivered.",
            "remedies",
        ),
        p("8.1", "The council publishes an annual complaint performance and service improvement report."),
        p("8.2", "The council self-assesses against the Code every year and after a significant restructure."),
        p("9.1", "The council uses complaints to learn and turns the learning into service improvements.", "learning"),
        p("9.3", "A Member Responsible for Complaints is named and the governing body scrutinises complaint handling."),
    )


LGSCO = Code(
    key="lgsco",
    version="2024",
    name="Local Government and Social Care Ombudsman Complaint Handling Code",
    sections=SECTIONS,
    provisions=_provisions("LGSCO Complaint Handling Code (applies from 1 April 2026)"),
)
HOUSING = Code(
    key="housing",
    version="2024",
    name="Housing Ombudsman Complaint Handling Code 2024",
    sections=SECTIONS,
    provisions=_provisions("Housing Ombudsman Complaint Handling Code 2024"),
)
CODES: dict[str, Code] = {LGSCO.key: LGSCO, HOUSING.key: HOUSING}


def code_for(key: str) -> Code:
    try:
        return CODES[key]
    except KeyError:
        raise KeyError(f"Unknown Code {key!r}; Codes: {', '.join(CODES)}.") from None


def metric_keys() -> frozenset[str]:
    return frozenset(p.metric for code in CODES.values() for p in code.provisions if p.metric)

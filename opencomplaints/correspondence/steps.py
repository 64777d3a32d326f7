"""The steps a letter or email is written for, declared once: which kinds of case each belongs to, and the two
versions of its words (for an adult, and in plain words for a child or young person). Generic code (the template
pages, the compose page, the test that no template leaks anything internal) reads this list."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models

from opencomplaints.cases import constants as c

__all__ = ["STEPS", "Audience", "Step", "StepKey", "step_for", "steps_for_kind"]


class Audience(models.TextChoices):
    ADULT = "adult", "Adult"
    YOUNG_PERSON = "young_person", "Child or young person"


class StepKey(models.TextChoices):
    ACKNOWLEDGEMENT = "acknowledgement", "Acknowledgement"
    EXTENSION = "extension", "Extension of the time to reply"
    HOLD = "hold", "Complaint put on hold"
    RESUME = "resume", "Work resumed after a hold"
    STAGE1_RESPONSE = "stage1_response", "Stage 1 response"
    STAGE2_OFFER = "stage2_offer", "Offer of stage 2"
    STATEMENT_OF_COMPLAINT = "statement_of_complaint", "Statement of complaint for agreement"
    STAGE2_ADJUDICATION = "stage2_adjudication", "Stage 2 adjudication"
    PANEL_INVITATION = "panel_invitation", "Review panel invitation"
    PANEL_OUTCOME = "panel_outcome", "Review panel outcome"
    ENQUIRY_REPLY = "enquiry_reply", "Reply to an enquiry"
    COMPLIMENT_THANKS = "compliment_thanks", "Thank you for a compliment"
    OMBUDSMAN_ENQUIRY_REPLY = "ombudsman_enquiry_reply", "Reply to the Ombudsman's enquiries"
    DECLINE = "decline", "Not accepted under the procedure"
    REMEDY_OFFER = "remedy_offer", "Offer of a remedy"


COMPLAINTS = frozenset({c.Kind.COMPLAINT, c.Kind.POTENTIAL_COMPLAINT})
ENQUIRIES = frozenset({c.Kind.QUERY, c.Kind.MP_ENQUIRY, c.Kind.MEMBER_ENQUIRY})


@dataclass(frozen=True)
class Step:
    key: StepKey
    kinds: frozenset[str]
    # The young person's version exists for every step but those written to a professional body.
    young_person: bool = True

    @property
    def label(self) -> str:
        return str(self.key.label)

    @property
    def audiences(self) -> tuple[Audience, ...]:
        return (Audience.ADULT, Audience.YOUNG_PERSON) if self.young_person else (Audience.ADULT,)


STEPS: tuple[Step, ...] = (
    Step(StepKey.ACKNOWLEDGEMENT, COMPLAINTS | ENQUIRIES),
    Step(StepKey.EXTENSION, COMPLAINTS),
    Step(StepKey.HOLD, COMPLAINTS),
    Step(StepKey.RESUME, COMPLAINTS),
    Step(StepKey.STAGE1_RESPONSE, COMPLAINTS),
    Step(StepKey.STAGE2_OFFER, COMPLAINTS),
    Step(StepKey.STATEMENT_OF_COMPLAINT, COMPLAINTS),
    Step(StepKey.STAGE2_ADJUDICATION, COMPLAINTS),
    Step(StepKey.PANEL_INVITATION, COMPLAINTS),
    Step(StepKey.PANEL_OUTCOME, COMPLAINTS),
    Step(StepKey.ENQUIRY_REPLY, ENQUIRIES),
    Step(StepKey.COMPLIMENT_THANKS, frozenset({c.Kind.COMPLIMENT})),
    # Written to the Ombudsman, an office, never to a child.
    Step(StepKey.OMBUDSMAN_ENQUIRY_REPLY, frozenset({c.Kind.OMBUDSMAN}), young_person=False),
    Step(StepKey.DECLINE, COMPLAINTS),
    Step(StepKey.REMEDY_OFFER, COMPLAINTS | frozenset({c.Kind.OMBUDSMAN})),
)


def step_for(key: str) -> Step | None:
    return next((step for step in STEPS if step.key == key), None)


def steps_for_kind(kind: str) -> list[Step]:
    return [step for step in STEPS if kind in step.kinds]

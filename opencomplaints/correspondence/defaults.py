"""The standard words of every step's letter, for an adult and for a child or young person. A council starts with
these and edits its own (``LetterTemplateVersion``); until it does, these are what the compose page offers.

The young person's versions use plain words and short sentences, and always say where to get support
(``{{ support }}``) and an advocate (``{{ advocacy }}``), which the council sets in its letter settings.
"""

from __future__ import annotations

from opencomplaints.correspondence.steps import Audience, StepKey

__all__ = [
    "DEFAULT_ADVOCACY",
    "DEFAULT_OMBUDSMAN",
    "DEFAULT_SUPPORT",
    "DEFAULT_WORDS",
]

DEFAULT_ADVOCACY = (
    "You can ask for an advocate to help you make your complaint or to speak for you. Advocacy is free. Ask the "
    "complaints team and we will put you in touch."
)
DEFAULT_SUPPORT = (
    "If you want to talk to someone, you can call Childline free on 0800 1111, any time, or contact the National "
    "Youth Advocacy Service (NYAS) on 0808 808 1001. You can also ask us for an advocate. An advocate is someone "
    "on your side who can help you say what you think."
)
DEFAULT_OMBUDSMAN = (
    "If you are still unhappy, you can ask the Local Government and Social Care Ombudsman to look at your "
    "complaint. The Ombudsman is independent and free to use. Phone 0300 061 0614 or visit www.lgo.org.uk."
)

_ADULT_CLOSE = "\n\nIf you have any questions, please contact the complaints team and quote {{ reference }}."
_YOUNG_CLOSE = (
    "\n\n{{ support }}\n\nIf you have a question, get in touch with us. Tell us your number: {{ reference }}."
)

DEFAULT_WORDS: dict[tuple[str, str], tuple[str, str]] = {
    (StepKey.ACKNOWLEDGEMENT, Audience.ADULT): (
        "We have received your complaint: {{ reference }}",
        "{{ greeting }},\n\nThank you for contacting us. We received your complaint on {{ received_date }}.\n\n"
        "Your reference number is {{ reference }}. We aim to reply by {{ due_date }}. If we need more time, we "
        "will write to you with a new date.\n\n{{ advocacy }}" + _ADULT_CLOSE,
    ),
    (StepKey.ACKNOWLEDGEMENT, Audience.YOUNG_PERSON): (
        "We got your complaint",
        "{{ greeting }},\n\nThank you for telling us. We got your complaint on {{ received_date }}.\n\n"
        "We will look into it. We will write to you again by {{ due_date }}." + _YOUNG_CLOSE,
    ),
    (StepKey.EXTENSION, Audience.ADULT): (
        "We need more time to reply to your complaint: {{ reference }}",
        "{{ greeting }},\n\nWe are looking into your complaint at stage {{ stage }}. We said we would reply by "
        "{{ due_date }}. We need more time to look into it properly.\n\nWe will now reply by {{ extended_due_date }}."
        "\n\nWe are sorry for the wait." + _ADULT_CLOSE,
    ),
    (StepKey.EXTENSION, Audience.YOUNG_PERSON): (
        "We need a bit more time",
        "{{ greeting }},\n\nWe are still looking into your complaint. We need more time to do it properly.\n\n"
        "We will write to you by {{ extended_due_date }}. We are sorry you have to wait." + _YOUNG_CLOSE,
    ),
    (StepKey.HOLD, Audience.ADULT): (
        "Your complaint is on hold: {{ reference }}",
        "{{ greeting }},\n\nFrom {{ hold_start_date }} we have paused work on your complaint at stage {{ stage }}, "
        "as we discussed with you.\n\nWe will write to you when work starts again, with the date we will reply by."
        + _ADULT_CLOSE,
    ),
    (StepKey.HOLD, Audience.YOUNG_PERSON): (
        "We have paused your complaint",
        "{{ greeting }},\n\nWe have stopped work on your complaint for now, from {{ hold_start_date }}.\n\n"
        "We will write to you when we start again." + _YOUNG_CLOSE,
    ),
    (StepKey.RESUME, Audience.ADULT): (
        "We have started work on your complaint again: {{ reference }}",
        "{{ greeting }},\n\nWe started work on your complaint again on {{ resume_date }}, at stage {{ stage }}.\n\n"
        "We aim to reply by {{ due_date }}." + _ADULT_CLOSE,
    ),
    (StepKey.RESUME, Audience.YOUNG_PERSON): (
        "We are working on your complaint again",
        "{{ greeting }},\n\nWe started work on your complaint again on {{ resume_date }}.\n\n"
        "We will write to you by {{ due_date }}." + _YOUNG_CLOSE,
    ),
    (StepKey.STAGE1_RESPONSE, Audience.ADULT): (
        "Our response to your complaint: {{ reference }}",
        "{{ greeting }},\n\nThank you for your patience while we looked into your complaint. Here is what we found "
        "on each point:\n\n{{ points_with_outcomes }}\n\nOverall, your complaint is {{ outcome }}.\n\n{{ remedies }}"
        "\n\nIf you are unhappy with this response, you can ask for your complaint to be looked at again at stage 2 "
        "by an independent investigator. Please tell us within 20 working days of receiving this letter."
        + _ADULT_CLOSE,
    ),
    (StepKey.STAGE1_RESPONSE, Audience.YOUNG_PERSON): (
        "What we found about your complaint",
        "{{ greeting }},\n\nThank you for waiting. We looked at each thing you told us about.\n\n"
        "{{ points_with_outcomes }}\n\n{{ remedies }}\n\nIf you are not happy with this, you can ask for someone "
        "from outside the team to look at it again. Tell us within 20 working days." + _YOUNG_CLOSE,
    ),
    (StepKey.STAGE2_OFFER, Audience.ADULT): (
        "Taking your complaint to stage 2: {{ reference }}",
        "{{ greeting }},\n\nYou have told us you are unhappy with our response at stage 1. We can look at your "
        "complaint again at stage 2. An investigator and an independent person, who does not work for "
        "{{ council }}, will look at it.\n\nPlease tell us if you want to go ahead.\n\n{{ advocacy }}" + _ADULT_CLOSE,
    ),
    (StepKey.STAGE2_OFFER, Audience.YOUNG_PERSON): (
        "Do you want someone else to look at your complaint?",
        "{{ greeting }},\n\nYou told us you are not happy with our answer. Someone from outside the team can look at "
        "your complaint again. Someone who does not work for us will check it is done fairly.\n\nTell us if you want "
        "this." + _YOUNG_CLOSE,
    ),
    (StepKey.STATEMENT_OF_COMPLAINT, Audience.ADULT): (
        "Your statement of complaint: {{ reference }}",
        "{{ greeting }},\n\nBefore the stage 2 investigation starts, we need to agree what it will look at. These are "
        "the points of your complaint as we understand them:\n\n{{ points }}\n\nPlease tell us whether this is "
        "right, or what should change. The investigation starts when we have agreed them." + _ADULT_CLOSE,
    ),
    (StepKey.STATEMENT_OF_COMPLAINT, Audience.YOUNG_PERSON): (
        "Is this what your complaint is about?",
        "{{ greeting }},\n\nWe want to be sure we look at the right things. This is what we think your complaint is "
        "about:\n\n{{ points }}\n\nIs this right? Tell us if anything is missing or wrong." + _YOUNG_CLOSE,
    ),
    (StepKey.STAGE2_ADJUDICATION, Audience.ADULT): (
        "The outcome of the stage 2 investigation: {{ reference }}",
        "{{ greeting }},\n\nThe investigation of your complaint at stage 2 is finished, and a senior manager has "
        "decided what happens next. On each point:\n\n{{ points_with_outcomes }}\n\n{{ remedies }}\n\nIf you are "
        "still unhappy, you can ask for a review panel at stage 3 within 20 working days of receiving this letter.\n\n"
        "{{ ombudsman }}" + _ADULT_CLOSE,
    ),
    (StepKey.STAGE2_ADJUDICATION, Audience.YOUNG_PERSON): (
        "What the investigation found",
        "{{ greeting }},\n\nThe investigation has finished. This is what it found:\n\n{{ points_with_outcomes }}\n\n"
        "{{ remedies }}\n\nIf you are still not happy, you can ask for a meeting with three people who do not work "
        "for us. This is called a review panel. Tell us within 20 working days." + _YOUNG_CLOSE,
    ),
    (StepKey.PANEL_INVITATION, Audience.ADULT): (
        "Your review panel: {{ reference }}",
        "{{ greeting }},\n\nThe review panel for your complaint will meet on {{ panel_date }}. The panel has three "
        "independent members. You are welcome to attend and to bring someone with you.\n\n{{ advocacy }}"
        + _ADULT_CLOSE,
    ),
    (StepKey.PANEL_INVITATION, Audience.YOUNG_PERSON): (
        "You are invited to your review panel",
        "{{ greeting }},\n\nThree people who do not work for us will meet about your complaint on {{ panel_date }}. "
        "You can come and tell them what you think. You can bring someone with you." + _YOUNG_CLOSE,
    ),
    (StepKey.PANEL_OUTCOME, Audience.ADULT): (
        "The outcome of the review panel: {{ reference }}",
        "{{ greeting }},\n\nThe review panel met on {{ panel_date }} and made its recommendations. Our response to "
        "them is:\n\n{{ points_with_outcomes }}\n\n{{ remedies }}\n\n{{ ombudsman }}" + _ADULT_CLOSE,
    ),
    (StepKey.PANEL_OUTCOME, Audience.YOUNG_PERSON): (
        "What happened at the review panel",
        "{{ greeting }},\n\nThe review panel met on {{ panel_date }}. This is what we decided:\n\n"
        "{{ points_with_outcomes }}\n\n{{ remedies }}\n\nIf you are still not happy, the Ombudsman can look at it. "
        "{{ ombudsman }}" + _YOUNG_CLOSE,
    ),
    (StepKey.ENQUIRY_REPLY, Audience.ADULT): (
        "Our reply to your enquiry: {{ reference }}",
        "{{ greeting }},\n\nThank you for your enquiry about {{ topic }}, which we received on {{ received_date }}.\n\n"
        "[Write the reply here.]" + _ADULT_CLOSE,
    ),
    (StepKey.ENQUIRY_REPLY, Audience.YOUNG_PERSON): (
        "Our answer to your question",
        "{{ greeting }},\n\nThank you for asking us about {{ topic }}.\n\n[Write the answer here.]" + _YOUNG_CLOSE,
    ),
    (StepKey.COMPLIMENT_THANKS, Audience.ADULT): (
        "Thank you for your compliment: {{ reference }}",
        "{{ greeting }},\n\nThank you for taking the time to tell us what went well. We will pass your kind words on "
        "to the people you mentioned.",
    ),
    (StepKey.COMPLIMENT_THANKS, Audience.YOUNG_PERSON): (
        "Thank you",
        "{{ greeting }},\n\nThank you for telling us what went well. We will tell the people you talked about.",
    ),
    (StepKey.OMBUDSMAN_ENQUIRY_REPLY, Audience.ADULT): (
        "Your enquiry {{ ombudsman_reference }}: our response",
        "Dear Investigator,\n\nThank you for your enquiry {{ ombudsman_reference }} about our case {{ reference }}. "
        "Our response to your questions is below.\n\n[Write the response here.]",
    ),
    (StepKey.DECLINE, Audience.ADULT): (
        "Your complaint: {{ reference }}",
        "{{ greeting }},\n\nThank you for contacting us on {{ received_date }}. We have carefully considered what you "
        "told us. We cannot look at it under the complaints procedure.\n\n[Explain here, in words the complainant "
        "can use, why and where it can go instead.]\n\n{{ ombudsman }}" + _ADULT_CLOSE,
    ),
    (StepKey.DECLINE, Audience.YOUNG_PERSON): (
        "About what you told us",
        "{{ greeting }},\n\nThank you for telling us. We cannot look at this as a complaint.\n\n[Explain here, in "
        "plain words, why and who can help instead.]\n\n{{ ombudsman }}" + _YOUNG_CLOSE,
    ),
    (StepKey.REMEDY_OFFER, Audience.ADULT): (
        "Putting things right: {{ reference }}",
        "{{ greeting }},\n\nWe are sorry for what went wrong. To put things right, we would like to offer:\n\n"
        "{{ remedies }}\n\nPlease let us know whether you accept." + _ADULT_CLOSE,
    ),
    (StepKey.REMEDY_OFFER, Audience.YOUNG_PERSON): (
        "How we want to put things right",
        "{{ greeting }},\n\nWe are sorry. We want to put things right. We would like to offer:\n\n{{ remedies }}\n\n"
        "Tell us what you think." + _YOUNG_CLOSE,
    ),
}

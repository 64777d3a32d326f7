"""The words every message starts with. A migration copies them into ``MessageTemplate`` for administrators to
change; a message whose template row is missing (a database emptied by hand) is still sent with these."""

SIGN_OFF = "\n\nComplaints team\n((council))"

DEFAULT_TEMPLATES: list[tuple[str, str, str]] = [
    (
        "acknowledgement",
        "We have received your complaint: ((reference))",
        "((greeting)),\n\n"
        "Thank you for telling us about your complaint. We received it on ((received_date)).\n\n"
        "Your reference number is ((reference)). Please use it if you contact us about your complaint.\n\n"
        "What happens next\n"
        "A member of the complaints team will read what you told us and decide how your complaint will be "
        "looked at. We aim to reply by ((due_date)). If we need more time, we will tell you why and give you a "
        "new date.\n\n"
        "((advocacy))\n\n"
        "((follow_section))" + SIGN_OFF,
    ),
    (
        "compliment_acknowledgement",
        "Thank you for your compliment: ((reference))",
        "((greeting)),\n\n"
        "Thank you for taking the time to tell us what went well. We will pass your kind words on to the people "
        "you mentioned.\n\nYour reference number is ((reference))." + SIGN_OFF,
    ),
    (
        "follow_link",
        "Your link to follow complaint ((reference))",
        "((greeting)),\n\n"
        "Here is your new link to see how complaint ((reference)) is going:\n((follow_link))\n\n"
        "This link works until ((link_expires)). Do not share it: anyone with the link can see how your "
        "complaint is going.\n\nIf you did not ask for this link, you do not need to do anything." + SIGN_OFF,
    ),
    (
        "extension_letter",
        "We need more time to reply to your complaint: ((reference))",
        "((greeting)),\n\n"
        "We are writing about your complaint, reference ((reference)), at stage ((stage)).\n\n"
        "We told you we would reply by ((due_date)). We need more time to look into your complaint properly, "
        "because: ((reason))\n\n"
        "We will now reply by ((extended_due_date)).\n\n"
        "We are sorry for the wait. If you are unhappy about this, please contact the complaints team." + SIGN_OFF,
    ),
    (
        "hold_letter",
        "Your complaint is on hold: ((reference))",
        "((greeting)),\n\n"
        "We are writing about your complaint, reference ((reference)), at stage ((stage)).\n\n"
        "From ((start_date)) we have put your complaint on hold. The reason is: ((reason)).\n\n"
        "We will write to you again when we start work on it again, with the date we will reply by. If you "
        "have any questions, please contact the complaints team." + SIGN_OFF,
    ),
    (
        "deadline_reminder",
        "Due in ((working_days)): ((deadline)) for ((reference))",
        "Hello ((name)),\n\n"
        "The ((deadline)) for ((reference)) is due on ((due_date)), in ((working_days)).\n\n"
        "Open the case: ((case_link))",
    ),
    (
        "overdue_alert",
        "Overdue: ((deadline)) for ((reference))",
        "Hello ((name)),\n\n"
        "The ((deadline)) for ((reference)) was due on ((due_date)) and has not been met. The case owner is "
        "((owner)).\n\nOpen the case: ((case_link))",
    ),
    (
        "weekly_digest",
        "Complaints this week: ((council))",
        "Hello ((name)),\n\n"
        "Complaints and representations at ((council)), week beginning ((week_start)):\n\n"
        "* open: ((open_count))\n"
        "* received and waiting for triage: ((triage_count))\n"
        "* overdue: ((overdue_count))\n"
        "* due in the next 5 working days: ((due_soon_count))\n\n"
        "Overdue cases:\n((overdue_list))\n\n"
        "See the tracker: ((tracker_link))",
    ),
    (
        "security_notice",
        "Change to your sign-in security",
        "Hello ((name)),\n\n"
        "((change))\n\n"
        "This happened at ((when)) (UK time).\n\n"
        "If this was you, you do not need to do anything.\n\n"
        "If you did not make this change or ask for it, contact your system administrator straight away. Someone "
        "else may be able to sign in as you.",
    ),
    (
        "panel_arranged",
        "Review panel meeting arranged: ((reference))",
        "Hello ((name)),\n\n"
        "The review panel for ((reference)) will meet on ((meeting)), ((where)).\n\n"
        "The panel: ((panel)).\n\n"
        "Open the case: ((case_link))",
    ),
    (
        "panel_reminder",
        "Review panel in ((working_days)): ((reference))",
        "Hello ((name)),\n\n"
        "A reminder that the review panel for ((reference)) meets on ((meeting)), ((where)), in "
        "((working_days)).\n\n"
        "Open the case: ((case_link))",
    ),
    (
        "panel_arranged_contact",
        "Review panel meeting arranged: ((reference))",
        "Hello ((name)),\n\n"
        "The review panel for ((reference)) will meet on ((meeting)), ((where)).\n\n"
        "The panel: ((panel)).\n\n"
        "The complaints team will send you the papers for the meeting. If you cannot attend, please tell them."
        + SIGN_OFF,
    ),
    (
        "panel_reminder_contact",
        "Review panel in ((working_days)): ((reference))",
        "Hello ((name)),\n\n"
        "A reminder that the review panel for ((reference)) meets on ((meeting)), ((where)), in "
        "((working_days)).\n\n"
        "If you have not received the papers for the meeting, please ask the complaints team." + SIGN_OFF,
    ),
    (
        "role_request",
        "A system administrator asks for a role that sees case content",
        "Hello ((name)),\n\n"
        "((requester)), a system administrator, has asked to be ((role)) in ((council)). That role sees the "
        "council's case records, so a second system administrator must approve it.\n\n"
        "Approve or refuse it here: ((url))\n\n"
        "If you do not know why they need it, ask them before you decide.",
    ),
    # Correspondence written on the case (opencomplaints/correspondence): the officer's words, as previewed.
    ("correspondence", "((subject))", "((body))"),
]

"""The portal's messages, as constants so tests assert the exact words."""

COMPLAINT_EMPTY = "Enter what your complaint is about"
COMPLIMENT_EMPTY = "Enter your compliment"
FEEDBACK_RATING_INVALID = "Select how you feel about our reply"
FEEDBACK_BEFORE_RESPONSE = "You can tell us what you think once we have replied to your complaint"
FEEDBACK_ALREADY_GIVEN = "You have already told us what you think of this reply. Thank you"
HONEYPOT = "Your answers could not be sent. Try again"
LINK_NOT_FOUND = "This link does not work"
LINK_EXPIRED = "This link has expired"

# What the acknowledgement says about advocacy (R1.17), by the answer given.
ADVOCACY_NOTE = {
    "yes": "You asked for help from an advocate. We will put you in touch with an advocacy service.",
    "have_one": "You told us you have an advocate. We will keep them informed if you want us to.",
    "no": "If you would like help from an advocate at any time, tell us. Advocacy is free and independent of "
    "the council.",
}

FOLLOW_SECTION = (
    "Follow your complaint\n"
    "You can see how your complaint is going, send us documents and tell us what you think of our reply at:\n"
    "{follow_link}\n\n"
    "This link works until {link_expires}. Do not share it: anyone with the link can see how your complaint "
    "is going."
)
FOLLOW_BY_POST = (
    "Follow your complaint online\n"
    "If you would like to follow your complaint online, give us an email address and we will send you a link."
)

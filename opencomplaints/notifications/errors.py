"""The messages the notifications services can raise, as constants so tests assert the exact text."""

TEMPLATE_MISSING = "There is no message template '{key}'."
PLACEHOLDER_MISSING = "The {template} template needs (({name})), which was not given."
RECIPIENT_MISSING = "There is no {channel} address to send the {template} to."
LETTER_NEEDS_NOTIFY = (
    "Letters are posted through GOV.UK Notify, which this installation does not use: print and post this letter, "
    "then mark it as sent."
)
RETRY_NOT_FAILED = "Only a message that could not be sent can be tried again; this one is {status}."
INTERRUPTED = (
    "Sending was interrupted, so it is not known whether the provider took this message. It will not be sent "
    "again automatically: check with the provider, then try again or mark it as sent."
)
MARK_SENT_NOT_FAILED = "Only a message that could not be sent can be marked as sent; this one is {status}."
WORDS_REMOVED = (
    "The recipient and words of this message were removed after the retention period, so it cannot be sent or "
    "marked as sent."
)
SENT_IN_FUTURE = "The date it was sent must be today or in the past"
SENT_BEFORE_WRITTEN = "The date it was sent must be on or after {date}, when the message was written"
SENT_VIA_UNKNOWN = "Select how it was sent"
# The start of ``Message.last_error`` for a message the provider took but could not deliver (a bounce).
NOT_DELIVERED_PREFIX = "Not delivered: "

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

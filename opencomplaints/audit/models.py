"""The audit trail: one append-only row per change, and per view, of case data (database triggers refuse any
DELETE, and any UPDATE but the one-way redaction of a row: ``audit.append_only``, migrations 0007 and 0009).

* ``acting_user`` is who did it (blank for the system itself, e.g. a scheduled job);
* ``event_type`` is a stable integer, grouped in hundreds by area, so stored rows never change meaning;
* ``subject_type``/``subject_id`` name the record changed; ``before`` and ``after`` hold the changed fields;
* a row holds no words a person wrote: a free-text value is stored as ``{"free_text": true, "characters": N}``,
  and its words, for an event on a case, in ``AuditEventText`` beside the row, which retention deletes;
* ``redacted_at`` and ``redacted_by`` are when, and by whom, the records retention redacted the row, removing the
  words that rows written before that rule still held.
"""

from django.conf import settings
from django.db import models


class AuditEventType(models.IntegerChoices):
    # 100s: cases and representations; 200s: stages; 300s: documents; 400s: configuration;
    # 500s: the working-day calendar; 600s: accounts; 700s: reads of case data; 800s: remedies and learning;
    # 900s: other representations and the Ombudsman.
    COMPLAINT_REGISTERED = 101, "Complaint registered"
    COMPLAINT_ACCEPTED = 102, "Complaint accepted under the procedure"
    COMPLAINT_DECLINED = 103, "Complaint not accepted"
    SUFFICIENT_INTEREST_DECIDED = 104, "Sufficient interest decided"
    COMPLAINT_WITHDRAWN = 105, "Complaint withdrawn"
    CASE_CLOSED = 106, "Case closed"
    CASE_REOPENED = 107, "Case reopened"
    CASE_RECEIPT_CORRECTED = 108, "Date received corrected"
    CASE_SUPPORT_RECORDED = 109, "Mediation or advocacy recorded"
    CASE_OWNER_CHANGED = 110, "Case owner changed"
    # 120s: the working day (notes and contacts, details corrected after registration, allocation).
    CASE_NOTE_ADDED = 120, "Note or contact added"
    CASE_NOTE_CHANGED = 121, "Note or contact changed"
    CASE_DETAILS_CHANGED = 122, "Case details changed"
    COMPLAINANT_DETAILS_CHANGED = 123, "Complainant's details changed"
    CHILD_DETAILS_CHANGED = 124, "Child's details changed"
    STAGE_ESCALATED = 201, "Next stage requested and opened"
    STAGE_ACKNOWLEDGED = 202, "Stage acknowledged"
    STAGE_EXTENDED = 203, "Stage timescale extended"
    STAGE_HELD = 204, "Stage put on hold"
    STAGE_RESUMED = 205, "Stage resumed after a hold"
    STAGE_RESPONDED = 206, "Stage response sent"
    STAGE2_APPOINTED = 210, "Investigating officer or independent person appointed"
    STAGE2_STATEMENT_AGREED = 211, "Statement of complaint agreed"
    STAGE2_REPORT_RECEIVED = 212, "Investigation report received"
    STAGE2_ADJUDICATED = 213, "Stage 2 adjudication sent"
    STAGE3_PANEL_APPOINTED = 220, "Review panel appointed"
    STAGE3_PANEL_HELD = 221, "Review panel held"
    STAGE3_REPORT_RECORDED = 222, "Review panel report received"
    STAGE3_RESPONDED = 223, "Response to the review panel sent"
    REMEDY_RECORDED = 801, "Remedy recorded"
    LEARNING_ACTION_CREATED = 811, "Learning action created"
    LEARNING_ACTION_UPDATED = 812, "Learning action updated"
    LEARNING_ACTION_IMPLEMENTED = 813, "Learning action implemented"
    LEARNING_ACTION_NOT_IMPLEMENTED = 814, "Learning action not implemented"
    REPRESENTATION_REGISTERED = 901, "Representation registered"
    REPRESENTATION_RESPONDED = 902, "Representation responded to"
    OMBUDSMAN_CASE_REGISTERED = 911, "Ombudsman case registered"
    OMBUDSMAN_ENQUIRY_RESPONDED = 912, "Ombudsman enquiries answered"
    OMBUDSMAN_DECISION_RECORDED = 913, "Ombudsman decision recorded"
    OMBUDSMAN_COMPLIANCE_RECORDED = 914, "Ombudsman remedy complied with"
    CALENDAR_OVERRIDE_ADDED = 501, "Working-day calendar override added"
    CALENDAR_OVERRIDE_REMOVED = 502, "Working-day calendar override removed"
    COUNCIL_CREATED = 401, "Council created with its default configuration"
    COUNCIL_MEMBER_ADDED = 402, "Council member added"
    COUNCIL_MEMBER_REMOVED = 403, "Council member removed"
    SERVICE_AREA_CREATED = 404, "Service area created"
    TEAM_CREATED = 405, "Team created"
    TEAM_RESTRUCTURED = 406, "Team restructured (ended and succeeded by a new team)"
    COUNCIL_MEMBER_ROLE_CHANGED = 407, "Council member's role changed"
    DOCUMENT_UPLOADED = 301, "Document uploaded"
    DOCUMENT_DOWNLOADED = 302, "Document downloaded"
    # 700s: reads of case data, and who may read a restricted case.
    CASE_VIEWED = 701, "Case viewed"
    SEARCH_PERFORMED = 702, "Cases searched"
    EXPORT_DOWNLOADED = 703, "Case data downloaded"
    REPORT_GENERATED = 704, "Report generated"
    BREAK_GLASS = 705, "Emergency access to a restricted case"
    ACCESS_LOG_VIEWED = 706, "Who has seen the case viewed"
    REPORT_FILE_DOWNLOADED = 707, "Report file downloaded"
    MESSAGE_VIEWED = 708, "Message read"
    CASE_RESTRICTED = 711, "Case restricted to named people"
    CASE_UNRESTRICTED = 712, "Case restriction lifted"
    CASE_ACCESS_GRANTED = 713, "Person named on a restricted case"
    CASE_ACCESS_REVOKED = 714, "Person removed from a restricted case"
    # 1000s: moving data in and out (the interchange format).
    IMPORT_COMPLETED = 1001, "Records imported"
    EXPORT_CREATED = 1002, "Records exported"
    SUBJECT_ACCESS_EXPORT = 1003, "Personal data exported for a subject access request"
    ISSUE_CATEGORY_CREATED = 1004, "Issue category created"
    IMPORT_MAPPING_SAVED = 1005, "Import label mapping saved"
    # 1100s: messages to people and the public portal.
    MESSAGE_QUEUED = 1101, "Message queued"
    MESSAGE_SENT = 1102, "Message sent"
    MESSAGE_FAILED = 1103, "Message could not be sent"
    FOLLOW_LINK_ISSUED = 1111, "Link to follow the case sent to the complainant"
    FOLLOW_LINK_REVOKED = 1112, "Link to follow the case revoked"
    PORTAL_FEEDBACK_RECEIVED = 1113, "Feedback on the response received through the portal"
    # 1120s: correspondence written from a council's templates, and email coming in.
    LETTER_TEMPLATE_SAVED = 1121, "Letter template saved"
    LETTER_SETTINGS_SAVED = 1122, "Letterhead, signature and signposting saved"
    LETTER_SENT = 1123, "Letter or email sent"
    LETTER_PRINTED = 1124, "Letter printed for post"
    # 1130s: email coming in (the shared mailbox, or an email file added to a case).
    INBOUND_EMAIL_RECEIVED = 1130, "Email received"
    INBOUND_EMAIL_FILED = 1131, "Email filed on a case"
    INBOUND_EMAIL_DISCARDED = 1132, "Email discarded from the inbox"
    # 600s: signing in and out (the subject is the user).
    SIGN_IN = 601, "Signed in"
    SIGN_IN_FAILED = 602, "Sign-in failed"
    LOCKED_OUT = 603, "Sign-in refused: locked out after failed attempts"
    TWO_FACTOR_ENROLLED = 604, "Two-factor authentication set up"
    SIGN_OUT = 605, "Signed out"
    RECOVERY_CODE_USED = 606, "Recovery code used to sign in"
    RECOVERY_CODES_CREATED = 607, "Recovery codes created"
    TWO_FACTOR_RESET = 608, "Two-factor sign-in reset"
    AUTHENTICATOR_APP_REPLACED = 609, "Authenticator app replaced"
    # 1200s: records retention.
    LEGAL_HOLD_PLACED = 1201, "Legal hold placed"
    LEGAL_HOLD_LIFTED = 1202, "Legal hold lifted"
    CASE_ANONYMISED = 1203, "Personal data removed after the retention period"
    # 1500s: the REST API (opencomplaints/api).
    API_TOKEN_CREATED = 1501, "API token created"
    API_TOKEN_REVOKED = 1502, "API token revoked"
    API_TOKEN_USED = 1503, "API token used"
    # 1300s: the annual report's own inputs, which are not case data but change what a published report says.
    CONTEXT_FIGURES_SET = 1301, "Context figures set for a reporting year"
    HISTORIC_FIGURE_SET = 1302, "Historic summary figure set or removed"
    SAVED_TABLE_CREATED = 1310, "Table saved to the annual report"
    SAVED_TABLE_REMOVED = 1311, "Table removed from the annual report"
    # 1400s: the Complaint Handling Code (self-assessments, the Ombudsman's annual letter, the Codes followed).
    HANDLING_CODES_SET = 1400, "Complaint Handling Codes followed set"
    SELF_ASSESSMENT_STARTED = 1401, "Self-assessment against the Code started"
    SELF_ASSESSMENT_ANSWERED = 1402, "Self-assessment answer changed"
    SELF_ASSESSMENT_ADVANCED = 1403, "Self-assessment reviewed or signed off"
    GOVERNING_BODY_RESPONSE_RECORDED = 1404, "Governing body's response to the annual report recorded"
    OMBUDSMAN_LETTER_SAVED = 1405, "Ombudsman's annual review letter entered or imported"
    STAGE_HANDLER_RECORDED = 1407, "Who handled a stage recorded"
    # 1700s (correspondence): what the provider said afterwards about a message it took.
    MESSAGE_DELIVERED = 1700, "Message delivered"
    MESSAGE_NOT_DELIVERED = 1701, "Message not delivered"
    # 1810s (API jobs strand): exports asked for through the API, and the web's archive import as a job.
    EXPORT_FILE_REQUESTED = 1810, "Export asked for"
    ARCHIVE_IMPORT_STARTED = 1811, "Whole-history archive import started"
    # 1820s: a system administrator's role that sees case content needs a second administrator (ADR 0005).
    ROLE_GRANT_REQUESTED = 1820, "Role that sees case content asked for"
    ROLE_GRANT_APPROVED = 1821, "Role request approved"
    ROLE_GRANT_REFUSED = 1822, "Role request refused"
    ROLE_GRANTED_ON_SERVER = 1823, "Role given on the server by the only system administrator"
    # 1670s (publish strand): the annual report's publication workflow (docs/adr/0015).
    REPORT_DRAFT_STARTED = 1670, "Annual report draft started"
    REPORT_NARRATIVE_SAVED = 1671, "Annual report narrative saved"
    REPORT_CONTEXT_SAVED = 1672, "Annual report context figures saved"
    REPORT_SUBMITTED = 1673, "Annual report submitted for approval"
    REPORT_APPROVED = 1674, "Annual report approved"
    REPORT_RETURNED = 1675, "Annual report returned with a comment"
    REPORT_PUBLISHED = 1676, "Annual report published"
    REPORT_SUPERSEDED = 1677, "Published annual report superseded by a correction"
    PUBLISHED_REPORT_DOWNLOADED = 1678, "Published annual report downloaded"
    # 1860s (report strand): a reviewer's decision on each quote the annual report publishes (docs/reporting.md).
    REPORT_QUOTE_APPROVED = 1860, "Annual report quote approved as redacted"
    REPORT_QUOTE_EDITED = 1861, "Annual report quote approved with the reviewer's changes"
    REPORT_QUOTE_REJECTED = 1862, "Annual report quote rejected"
    # 1600s (archive strand): the whole-history archive (opencomplaints/interchange/archive.py).
    ARCHIVE_EXPORTED = 1600, "Whole-history archive exported"
    ARCHIVE_IMPORTED = 1601, "Whole-history archive imported"
    # 1610s (historic strand): historic figures by dimension, learning actions from the flat files.
    HISTORIC_BREAKDOWNS_SET = 1610, "Historic figures by dimension set"
    LEARNING_ACTIONS_IMPORTED = 1611, "Learning actions imported"
    # 1620s (procedures strand): a council's procedures as versioned data (docs/adr/0014-procedures-as-data.md).
    PROCEDURE_VERSION_CREATED = 1620, "Procedure configured (first version)"
    PROCEDURE_VERSION_CHANGED = 1621, "Procedure changed (new version in force)"
    # remedy strand: the remedy lifecycle, proposed to paid (docs/adr/0020-remedy-lifecycle.md)
    REMEDY_PROPOSED = 1630, "Remedy proposed"
    REMEDY_CHANGED = 1631, "Remedy changed"
    REMEDY_APPROVED = 1632, "Remedy approved"
    REMEDY_PAID = 1633, "Remedy paid or delivered"
    REMEDY_NOT_DELIVERED = 1634, "Remedy not delivered"
    # 1640s (alloc strand): allocation, the tracker's saved views.
    CASE_ALLOCATED = 1640, "Case given to an officer with others from the tracker"
    SAVED_VIEW_CREATED = 1641, "Tracker view saved"
    SAVED_VIEW_DELETED = 1642, "Saved tracker view deleted"
    # 1650s (point strand): points of complaint at every stage, and the council's response to recommendations.
    POINT_ADDED = 1650, "Point of complaint added"
    POINT_CHANGED = 1651, "Point of complaint changed"
    POINT_REMOVED = 1652, "Point of complaint removed"
    RECOMMENDATION_RESPONDED = 1653, "Council's response to a recommendation recorded"
    RECOMMENDATION_FOLLOWED_UP = 1654, "Follow-up of a recommendation recorded as done"
    CASE_LINK_CHANGED = 1655, "Earlier case a case follows changed"
    # 1660s: the oauth strand (OAuth clients of system integrations, webhooks; docs/adr/0023-oauth-and-webhooks.md).
    API_CLIENT_CREATED = 1660, "API client registered"
    API_CLIENT_REVOKED = 1661, "API client revoked"
    API_CLIENT_USED = 1662, "API client used"
    WEBHOOK_CREATED = 1663, "Webhook subscription created"
    WEBHOOK_CHANGED = 1664, "Webhook subscription changed"
    WEBHOOK_DELIVERED = 1665, "Webhook delivered"
    WEBHOOK_FAILED = 1666, "Webhook delivery failed"
    # A working week (issue 15): the review panel meeting arranged ahead.
    STAGE3_PANEL_SCHEDULED = 1830, "Review panel meeting arranged"
    # 1870s (contacts strand): the council's external people without accounts (docs/adr/0032).
    CONTACT_CREATED = 1870, "Contact added"
    CONTACT_CHANGED = 1871, "Contact changed"
    CONTACT_DEACTIVATED = 1872, "Contact deactivated"


class AuditEvent(models.Model):
    event_time = models.DateTimeField(db_index=True)
    acting_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # No ``choices=``: the codes live in AuditEventType, and a new member must not need a migration.
    event_type = models.PositiveIntegerField()
    # The case the change belongs to, if any, so a case's timeline is one indexed query.
    case = models.ForeignKey("cases.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="audit_events")
    subject_type = models.CharField(max_length=100)
    subject_id = models.CharField(max_length=64)
    summary = models.CharField(max_length=500)
    before = models.JSONField(default=dict, blank=True)
    after = models.JSONField(default=dict, blank=True)
    # Nullable and without defaults, so adding them is a plain ALTER TABLE: SQLite rebuilding the table would drop
    # the triggers. Blank for the system itself, as ``acting_user`` is.
    redacted_at = models.DateTimeField(null=True, blank=True)
    redacted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["event_time", "id"]
        indexes = [
            models.Index(fields=["subject_type", "subject_id", "event_time"], name="audit_subject_time"),
            models.Index(fields=["case", "event_type", "event_time"], name="audit_case_type_time"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.event_type_label} {self.subject_type}:{self.subject_id}"

    @property
    def event_type_label(self) -> str:
        """What happened, in words; a code this version does not know (from a newer release) shows as its number."""
        try:
            return str(AuditEventType(self.event_type).label)
        except ValueError:
            return f"Event {self.event_type}"


class AuditEventText(models.Model):
    """The words of one free-text value of an audit event on a case (a note, a reason, a name, a file name).

    They are kept here, beside the append-only row and never in it, so that the records retention can delete them
    with the rest of the case's personal data (docs/adr/0006-retention.md); the row itself keeps only that the value
    was given and how long it was. ``side`` and ``path`` say where in the row's ``before`` or ``after`` the value
    was: its key, then ``[position]`` in a list or ``.key`` in a mapping (``points[2]``,
    ``recommendations.1.reason``)."""

    class Side(models.TextChoices):
        BEFORE = "before", "Before"
        AFTER = "after", "After"

    event = models.ForeignKey(AuditEvent, on_delete=models.CASCADE, related_name="texts")
    side = models.CharField(max_length=6, choices=Side.choices)
    path = models.CharField(max_length=255)
    text = models.TextField()

    class Meta:
        ordering = ["event", "id"]
        constraints = [models.UniqueConstraint(fields=["event", "side", "path"], name="audit_text_one_per_value")]

    def __str__(self) -> str:
        return f"{self.side}.{self.path} of event #{self.event_id}"

from opencomplaints.audit.services.events import FreeText, audit_event_record
from opencomplaints.audit.services.reads import audit_read_record
from opencomplaints.audit.services.redaction import audit_events_redact

__all__ = ["FreeText", "audit_event_record", "audit_events_redact", "audit_read_record"]

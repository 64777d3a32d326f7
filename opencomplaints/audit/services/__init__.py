from opencomplaints.audit.services.events import audit_event_record
from opencomplaints.audit.services.reads import audit_read_record

__all__ = ["audit_event_record", "audit_read_record"]

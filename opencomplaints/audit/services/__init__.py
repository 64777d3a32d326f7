from opencomplaints.audit.services.events import audit_event_record

__all__ = ["audit_event_record"]

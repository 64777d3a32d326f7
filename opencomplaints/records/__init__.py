"""Records in the shape of the interchange format (../shared/spec/interchange.md §1).

One record is one stage of a complaint, or one other representation. The same shape feeds the annual report's
metrics, the export and the import, so counting rules and files can never disagree about what a record is.
"""

from opencomplaints.records.record import INTERCHANGE_COLUMNS, Record

__all__ = ["INTERCHANGE_COLUMNS", "Record"]

"""Case references: ``PREFIX-YYYY-NNNN``, numbered per council, prefix and year of receipt."""

from datetime import date

from opencomplaints.cases import errors
from opencomplaints.cases.errors import ProcedureError
from opencomplaints.cases.models import Case, ReferenceSequence
from opencomplaints.councils.models import Council

__all__ = ["reference_for", "reference_next"]


def reference_next(*, council: Council, year: int) -> str:
    """The next free reference for a case received in ``year``, e.g. ``CSC-2026-0001``.

    Call it inside the registering transaction: the sequence row is locked until it commits, so two people
    registering at once never get the same number. A number already taken by an imported or hand-entered reference
    is skipped.
    """
    prefix = council.reference_prefix
    sequence, _ = ReferenceSequence.objects.select_for_update().get_or_create(council=council, prefix=prefix, year=year)
    while True:
        sequence.last_number += 1
        reference = f"{prefix}-{year}-{sequence.last_number:04d}"
        if not Case.objects.filter(council=council, reference=reference).exists():
            break
    sequence.save(update_fields=["last_number"])
    return reference


def reference_for(*, council: Council, reference: str | None, received_date: date) -> str:
    """``reference`` if given (checked unused in the council), otherwise the next one for the year received."""
    if reference is not None and reference.strip():
        reference = reference.strip()
        if Case.objects.filter(council=council, reference=reference).exists():
            raise ProcedureError(
                errors.REFERENCE_TAKEN.format(reference=reference, council=council.name), field="reference"
            )
        return reference
    return reference_next(council=council, year=received_date.year)

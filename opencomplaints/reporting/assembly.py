"""The report a choice names, from the database: one procedure's annual report, or the combined council-wide
report (``report.combine_reports``) of the children's, adults' and corporate reports. The report page, the report
files' background job, the publication workflow and the ``report`` command all build their report here, so the
combined report is the same document whichever asks for it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date

from opencomplaints.councils.models import Council
from opencomplaints.reporting.metrics.breakdowns import Basis
from opencomplaints.reporting.periods import Period
from opencomplaints.reporting.report import (
    COMBINED,
    COMBINED_PARTS,
    AnnualReport,
    Quote,
    ReportInputs,
    build_report,
    combine_reports,
)
from opencomplaints.reporting.selectors import report_inputs

__all__ = ["annual_report", "inputs_for_report", "report_from_inputs"]


def inputs_for_report(*, councils: Sequence[Council], period: Period, procedure: str) -> tuple[ReportInputs, ...]:
    """What the report of ``procedure`` is built from: one set of inputs, or one for each part of the combined
    report (in ``COMBINED_PARTS`` order)."""
    procedures = [p for p, _, _ in COMBINED_PARTS] if procedure == COMBINED else [procedure]
    return tuple(report_inputs(councils=councils, period=period, procedure=p) for p in procedures)


def report_from_inputs(
    inputs: Sequence[ReportInputs],
    *,
    procedure: str,
    generated_on: date,
    basis: Basis = Basis.RECEIVED,
    quotes: Sequence[Quote] | None = None,
) -> AnnualReport:
    """The report of ``procedure`` from ``inputs`` (:func:`inputs_for_report`). ``quotes``, when given, are the
    compliments' words to publish instead of those the inputs hold (the quotes a reviewer approved)."""
    if quotes is not None:
        inputs = [replace(i, quotes=tuple(quotes)) for i in inputs]
    parts = [build_report(i, generated_on=generated_on, basis=basis) for i in inputs]
    if procedure == COMBINED:
        return combine_reports(parts, generated_on=generated_on)
    (report,) = parts
    return report


def annual_report(
    *, councils: Sequence[Council], period: Period, procedure: str, generated_on: date, basis: Basis = Basis.RECEIVED
) -> AnnualReport:
    """The report of ``procedure`` (or the combined council-wide report) for ``councils`` over ``period``."""
    inputs = inputs_for_report(councils=councils, period=period, procedure=procedure)
    return report_from_inputs(inputs, procedure=procedure, generated_on=generated_on, basis=basis)

"""The merge fields a council's letters may use: the declared list of details that are the complainant's to know.

Nothing else can be merged. Internal reasons (why a stage was extended or put on hold, why a complaint was not
accepted), notes, the case summary, findings' working notes and other people's details (the child's, other
complainants', staff other than the officer signing) are not on this list, so a template naming them cannot be
saved (``rendering.template_problems``) and the selector that fills the fields in never reads them
(``selectors.letter_values``).
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["MERGE_FIELDS", "NEVER_MERGED", "SHAREABLE_NAMES", "MergeField"]


@dataclass(frozen=True)
class MergeField:
    name: str
    label: str
    example: str


MERGE_FIELDS: tuple[MergeField, ...] = (
    MergeField("greeting", "How the letter opens", "Dear Sam Taylor"),
    MergeField("complainant_name", "The complainant's name", "Sam Taylor"),
    MergeField("reference", "The case reference", "CSC-2026-0042"),
    MergeField("council", "The council's name", "Northshire County Council"),
    MergeField("letter_date", "Today's date", "7 December 2026"),
    MergeField("received_date", "When the representation was received", "1 December 2026"),
    MergeField("topic", "What an enquiry or compliment is about", "Short breaks"),
    MergeField("stage", "The stage of the complaint", "1"),
    MergeField("due_date", "When the reply is due (the standard date)", "15 December 2026"),
    MergeField("extended_due_date", "The new date after an extension", "5 January 2027"),
    MergeField("hold_start_date", "When the complaint was put on hold", "3 December 2026"),
    MergeField("resume_date", "When work started again after a hold", "10 December 2026"),
    MergeField("statement_agreed_date", "When the statement of complaint was agreed", "12 December 2026"),
    MergeField("panel_date", "The date of the review panel", "20 January 2027"),
    MergeField("points", "Each point of complaint, numbered", "1. The social worker did not return calls."),
    MergeField(
        "points_with_outcomes",
        "Each point of complaint with what was found at this stage, and what the council says on it",
        "1. The social worker did not return calls. Upheld.",
    ),
    MergeField("outcome", "The outcome of the stage", "partly upheld"),
    MergeField("remedies", "What the council offers to put things right", "An apology."),
    MergeField("officer_name", "The name of the officer writing", "Alex Morgan"),
    MergeField("ombudsman_reference", "The Ombudsman's reference", "26 001 234"),
    MergeField("advocacy", "Where to get help from an advocate (set by the council)", "You can ask for an advocate."),
    MergeField("support", "Support for children and young people (set by the council)", "Childline: 0800 1111."),
    MergeField("ombudsman", "How to contact the Ombudsman (set by the council)", "Local Government Ombudsman."),
)

SHAREABLE_NAMES: frozenset[str] = frozenset(field.name for field in MERGE_FIELDS)

# Details of a case that must never reach a letter: checked against the list above by the tests, so nobody adds one
# as a merge field by mistake.
NEVER_MERGED: frozenset[str] = frozenset(
    {
        "extension_reason",
        "reason",
        "hold_reason",
        "hold_note",
        "note",
        "notes",
        "decline_note",
        "decline_reason",
        "summary",
        "finding_note",
        "late_request_reason",
        "late_not_reasonable_to_expect_reason",
        "late_still_possible_reason",
        "previous_stage_skipped_reason",
        "child_name",
        "date_of_birth",
        "ethnicity",
        "disability",
        "religion",
        "sexual_orientation",
        "phone",
        "email",
        "address",
        "other_complainants",
        "investigating_officer",
        "independent_person",
        "restricted",
    }
)

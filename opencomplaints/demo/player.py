"""Play demonstration events (``events``) through the domain services: one handler per kind of event.

Every write of case data goes through ``opencomplaints.cases.services``, so the demonstration data obeys the same
procedure rules as real data and carries the same audit trail. The player reads back only what the services
create and the plan cannot name in advance (the stage rows, the points of complaint and the recommendations
they hold), and keeps what it made by the plan's keys for the events that follow.
"""

from opencomplaints.demo.playing import REFERENCE_DRIFT, STEP_FAILED, BuildError
from opencomplaints.demo.plays_complaints import ComplaintPlays
from opencomplaints.demo.plays_others import OtherPlays

__all__ = ["REFERENCE_DRIFT", "STEP_FAILED", "BuildError", "Player"]


class Player(ComplaintPlays, OtherPlays):
    """Every kind of event, each applied by the handler ``plays`` registered for it."""

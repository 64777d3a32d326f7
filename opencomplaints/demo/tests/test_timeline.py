"""The demonstration's cases as events, without a database: every kind of event has one handler, and each case's
events come in the order they happened, none after the end date."""

from collections import Counter
from datetime import date

import pytest

from opencomplaints.demo import events as e
from opencomplaints.demo.plans import registration_order
from opencomplaints.demo.player import Player
from opencomplaints.demo.playing import _HANDLERS
from opencomplaints.demo.scenario import plan_demo
from opencomplaints.demo.timeline import council_timeline

END = date(2026, 10, 31)


def _kinds(base: type[e.Event]) -> set[type[e.Event]]:
    # A private class (``_RemedyEvent``) only declares what several kinds share: it is never played itself.
    found = set()
    for kind in base.__subclasses__():
        found |= {*([] if kind.__name__.startswith("_") else [kind]), *_kinds(kind)}
    return found


@pytest.fixture(scope="module")
def timelines():
    plan = plan_demo(seed=1, years=3, end_date=END, councils=2)
    return [list(council_timeline(council, end_date=END)) for council in plan.councils], plan


def test_every_kind_of_event_has_one_handler_on_the_player():
    assert set(_HANDLERS) == _kinds(e.Event)
    assert all(callable(getattr(Player, handler.__name__)) for handler in _HANDLERS.values())


def test_the_timeline_plays_every_kind_of_event_the_plan_makes(timelines):
    councils, _ = timelines
    played = Counter(type(event) for council in councils for _, events in council for event in events)
    # The one council change happens in the first council only; everything else in both.
    assert set(played) == _kinds(e.Event)


def test_each_case_starts_with_its_registration_and_keeps_to_the_order_things_happened(timelines):
    councils, plan = timelines
    for council, council_plan in zip(councils, plan.councils, strict=True):
        registered = [events[0].case for _, events in council if events[0].case.startswith(("C", "R", "O"))]
        assert registered == [case.key for case in sorted_cases(council_plan)]
        for what, events in council:
            assert [event.sort_key() for event in events] == sorted(event.sort_key() for event in events), what
            assert all(event.day <= END for event in events), what
            assert len({event.case for event in events}) == 1, what


def test_a_remedy_is_proposed_before_anything_else_happens_to_it(timelines):
    councils, _ = timelines
    for council in councils:
        for what, events in council:
            seen: set[str] = set()
            for event in events:
                remedy = getattr(event, "remedy", None)
                if remedy is None:
                    continue
                assert isinstance(event, e.RemedyProposed) == (remedy not in seen), what
                seen.add(remedy)


def sorted_cases(council_plan):
    cases = [*council_plan.complaints, *council_plan.representations, *council_plan.ombudsman_cases]
    return sorted(cases, key=registration_order)

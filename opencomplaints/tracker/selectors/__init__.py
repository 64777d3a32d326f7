"""Reads for the complaints team's trackers and search, one module per thing read:

- ``tracker``: the main tracker's page of open cases and its rows; ``counts``: the counts above it;
  ``options``: its filter choices and the views users saved;
- ``search``: the search across every case;
- ``learning`` and ``ombudsman``: the trackers of learning actions and of Ombudsman cases;
- ``workload`` and ``dashboard``: the allocation pages;
- below them, ``conditions`` (which cases: those the user may see, open, mine, overdue, due this week, on hold)
  and ``rows`` (what every row shows: flags, working days left, the type's short name).

Every read starts from the cases (or councils) the user may see: ``opencomplaints.cases.access.case_queryset_for_user``
and ``opencomplaints.councils.selectors.councils_for_user``. A page of a tracker costs one query for its rows, one for
the number of rows, and a fixed number for their related data, however many rows there are.

"Today" is always an argument: the views pass ``timezone.localdate()`` (the London date), so tests can pass any day.
"""

from opencomplaints.tracker.selectors.conditions import due_this_week_q, on_hold_q, week_end
from opencomplaints.tracker.selectors.counts import StageCounts, StageFilter, tracker_counts
from opencomplaints.tracker.selectors.dashboard import Dashboard, DashboardCase, MonthTrend, dashboard
from opencomplaints.tracker.selectors.learning import (
    LEARNING_PAGE_SIZE,
    LearningActionFilters,
    LearningActionPage,
    LearningActionRow,
    LearningStatusFilter,
    learning_action_page,
)
from opencomplaints.tracker.selectors.ombudsman import (
    OMBUDSMAN_PAGE_SIZE,
    OmbudsmanFilters,
    OmbudsmanPage,
    OmbudsmanRow,
    OmbudsmanStatusFilter,
    ombudsman_page,
)
from opencomplaints.tracker.selectors.options import FilterOptions, saved_views_for_user, tracker_filter_options
from opencomplaints.tracker.selectors.rows import DUE_SOON_WORKING_DAYS, Flag, working_days_left
from opencomplaints.tracker.selectors.search import (
    SEARCH_PAGE_SIZE,
    SearchPage,
    SearchResult,
    case_search,
    search_terms,
)
from opencomplaints.tracker.selectors.tracker import (
    TRACKER_PAGE_SIZE,
    TrackerFilters,
    TrackerPage,
    TrackerRow,
    TrackerSort,
    tracker_page,
)
from opencomplaints.tracker.selectors.workload import Workload, WorkloadRow, workload

__all__ = [
    "DUE_SOON_WORKING_DAYS",
    "LEARNING_PAGE_SIZE",
    "OMBUDSMAN_PAGE_SIZE",
    "SEARCH_PAGE_SIZE",
    "TRACKER_PAGE_SIZE",
    "Dashboard",
    "DashboardCase",
    "FilterOptions",
    "Flag",
    "LearningActionFilters",
    "LearningActionPage",
    "LearningActionRow",
    "LearningStatusFilter",
    "MonthTrend",
    "OmbudsmanFilters",
    "OmbudsmanPage",
    "OmbudsmanRow",
    "OmbudsmanStatusFilter",
    "SearchPage",
    "SearchResult",
    "StageCounts",
    "StageFilter",
    "TrackerFilters",
    "TrackerPage",
    "TrackerRow",
    "TrackerSort",
    "Workload",
    "WorkloadRow",
    "case_search",
    "dashboard",
    "due_this_week_q",
    "learning_action_page",
    "ombudsman_page",
    "on_hold_q",
    "saved_views_for_user",
    "search_terms",
    "tracker_counts",
    "tracker_filter_options",
    "tracker_page",
    "week_end",
    "working_days_left",
    "workload",
]

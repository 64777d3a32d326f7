"""The kind registry: every place that lists kinds reads it, so a kind added in the settings is registered, tracked,
exported and reported with no other change (R3.3)."""

import csv
import io
from datetime import date
from html import unescape

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from opencomplaints.cases import constants as c
from opencomplaints.cases import kinds
from opencomplaints.cases.models import Case
from opencomplaints.interchange.exporter import records_export
from opencomplaints.interchange.mapping import mapping_options
from opencomplaints.reporting.metrics.breakdowns import Basis
from opencomplaints.reporting.periods import reporting_year
from opencomplaints.reporting.report import build_report
from opencomplaints.reporting.selectors import report_inputs, vocabulary_labels
from opencomplaints.tracker.selectors import TrackerFilters, tracker_page

pytestmark = pytest.mark.django_db

EXTRA = "opencomplaints.cases.tests.extra_kinds"


def test_the_built_in_kinds_are_the_case_model_choices_in_order():
    assert [k.value for k in kinds.all_kinds()] == list(c.Kind.values)
    assert kinds.kind_choices() == list(c.Kind.choices)
    representations = ("potential_complaint", "query", "mp_enquiry", "member_enquiry", "compliment")
    assert kinds.representation_kinds() == representations
    assert kinds.answered_within(kinds.Answer.ENQUIRY) == ("mp_enquiry", "member_enquiry")


def test_a_kind_is_found_by_its_value_and_its_slug():
    assert kinds.kind_of("mp_enquiry").enquirer_type == c.EnquirerType.MP
    found = kinds.kind_for_slug("councillor-enquiry")
    assert found is not None
    assert found.value == c.Kind.MEMBER_ENQUIRY
    assert kinds.kind_for_slug("petition") is None
    assert kinds.kind_label("petition") == "petition"
    with pytest.raises(LookupError):
        kinds.kind_of("petition")


def test_a_kind_added_in_the_settings_is_registered_tracked_shown_exported_and_reported(
    settings, client, council, complaints_officer
):
    settings.OPENCOMPLAINTS_EXTRA_KINDS = [EXTRA]
    client.force_login(complaints_officer)

    # Registered: offered on the choice page, and registered on the representation page.
    choose = client.post(reverse("casework:register"), {"kind": "service_request"})
    assert choose.url == reverse("casework:representation-register", args=["service-request"])
    page = unescape(client.get(choose.url).content.decode())
    assert "Register a service request" in page
    data = {"received_date_0": "26", "received_date_1": "5", "received_date_2": "2022", "received_via": "email"}
    response = client.post(choose.url, {**data, "topic": "Blue badge renewal"})
    assert response.status_code == 302
    case = Case.objects.get(kind="service_request")
    assert case.get_kind_display() == "Service request"
    assert case.deadlines.get().working_days == 10  # the enquiry response its declaration names

    # The case page and the tracker.
    assert "Service request" in unescape(client.get(response.url).content.decode())
    rows = tracker_page(user=complaints_officer, filters=TrackerFilters(), today=date(2022, 6, 1)).rows
    assert [(r.reference, r.type_label) for r in rows] == [(case.reference, "Service request")]

    # The export, and the vocabulary an import reads it back with.
    exported, count = records_export(councils=[council], fmt="csv", acting_user=None)
    assert count == 1
    assert [row["kind"] for row in csv.DictReader(io.StringIO(exported.decode("utf-8-sig")))] == ["service_request"]
    assert mapping_options(council)["kind"]["service_request"] == "Service request"

    # The report: its own row among the other representations, counted.
    assert vocabulary_labels(councils=[council])["kind"]["service_request"] == "Service request"
    inputs = report_inputs(councils=[council], period=reporting_year(2022), procedure="children_statutory")
    report = build_report(inputs, generated_on=date(2023, 5, 1), basis=Basis.RECEIVED)
    rows_of = [row for table in report.tables for row in table.rows if row and row[0] == "Service request"]
    assert rows_of
    assert any(1 in row[1:] for row in rows_of)


def test_a_settings_module_without_kinds_is_a_configuration_error(settings):
    settings.OPENCOMPLAINTS_EXTRA_KINDS = ["opencomplaints.cases.constants"]
    with pytest.raises(ImproperlyConfigured, match="must define KINDS"):
        kinds.all_kinds()


def test_a_kind_declared_twice_is_a_configuration_error(settings, tmp_path, monkeypatch):
    (tmp_path / "twice_kinds.py").write_text(
        "from opencomplaints.cases.kinds import CaseKind\n"
        "KINDS = [CaseKind(value='query', label='Query', plural='Queries', slug='another-query')]\n",
        encoding="utf-8",
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    settings.OPENCOMPLAINTS_EXTRA_KINDS = ["twice_kinds"]
    with pytest.raises(ImproperlyConfigured, match="declared twice"):
        kinds.all_kinds()

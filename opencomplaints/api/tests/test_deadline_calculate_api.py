import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

URL = reverse("api:v1:deadline-calculate")


def test_needs_authentication(client):
    response = client.post(URL, {"events": {"received": "2022-05-26"}}, content_type="application/json")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"


def test_stage_1_due_dates(client, complaints_officer):
    client.force_login(complaints_officer)
    response = client.post(URL, {"stage": 1, "events": {"received": "2022-05-26"}}, content_type="application/json")
    assert response.status_code == 200
    assert response.json() == [
        {
            "key": "stage1_response",
            "label": "Stage 1 response",
            "rule": "R1.20",
            "statutory": True,
            "anchor": "received",
            "anchor_on": "2022-05-26",
            "due_on": "2022-06-13",
            "extended_due_on": "2022-06-27",
        }
    ]


def test_invalid_input_has_the_standard_error_shape(client, complaints_officer):
    client.force_login(complaints_officer)
    response = client.post(URL, {"stage": 7, "events": {"received": "26/05/2022x"}}, content_type="application/json")
    assert response.status_code == 400
    body = response.json()["error"]
    assert body["code"] == "invalid"
    assert set(body["fields"]) == {"stage", "events"}


def test_a_stage_the_procedure_lacks_is_a_domain_error(client, complaints_officer):
    client.force_login(complaints_officer)
    response = client.post(
        URL,
        {"procedure": "adults_statutory", "stage": 2, "events": {"received": "2024-01-02"}},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "valid stages: 1" in response.json()["error"]["message"]


def test_openapi_schema_lists_the_endpoint(client, complaints_officer):
    client.force_login(complaints_officer)
    response = client.get(reverse("api:schema"), HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    assert "/api/v1/deadlines/" in response.json()["paths"]


def test_api_documentation_page_loads_without_a_cdn(client, complaints_officer):
    client.force_login(complaints_officer)
    response = client.get(reverse("api:docs"))
    assert response.status_code == 200
    assert "cdn." not in response.text


def test_an_unknown_event_is_named_not_ignored(client, complaints_officer):
    client.force_login(complaints_officer)
    response = client.post(URL, {"stage": 1, "events": {"recieved": "2022-05-26"}}, content_type="application/json")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "unknown_event"
    assert error["field"] == "events"
    assert error["message"] == "Stage 1 has no event called recieved. Its events are: received."


def test_no_events_is_a_clear_error_not_an_empty_list(client, complaints_officer):
    client.force_login(complaints_officer)
    response = client.post(URL, {"stage": 2, "events": {}}, content_type="application/json")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "missing_event"
    assert error["message"] == (
        "Give the date of at least one event of stage 2: stage1_responded, stage2_start, stage2_request_received, "
        "investigation_report_received."
    )


def test_a_missing_events_field_is_named(client, complaints_officer):
    client.force_login(complaints_officer)
    response = client.post(URL, {"stage": 1}, content_type="application/json")
    assert response.status_code == 400
    assert set(response.json()["error"]["fields"]) == {"events"}


def test_every_operation_with_input_documents_its_400_with_the_error_shape(client, complaints_officer):
    client.force_login(complaints_officer)
    schema = client.get(reverse("api:schema"), HTTP_ACCEPT="application/json").json()
    operations = [
        (path, method, operation)
        for path, item in schema["paths"].items()
        for method, operation in item.items()
        # Input is a body or a query; an operation whose only parameters are in its path answers a malformed or
        # unknown id with 404, never 400, so it has no 400 to document.
        if method in {"post", "put", "patch", "delete"}
        or any(parameter["in"] != "path" for parameter in operation.get("parameters", []))
    ]
    assert operations
    for path, method, operation in operations:
        bad_request = operation["responses"].get("400")
        assert bad_request is not None, f"{method.upper()} {path} does not document its 400"
        assert bad_request["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Error"}
    error = schema["components"]["schemas"]["Error"]
    assert error["required"] == ["error"]

"""The fault switch under ``/_sandbox/faults``: chosen API requests fail as a failing server's would.

Raw ``requests`` where the failure itself is under test (status, headers, a dropped socket), and
openreview-py to show the official client recovers from a transient fault as it does in production.
"""

from __future__ import annotations

from typing import Any

import openreview
import pytest
import requests
from openreview.api import Group

from tests.conftest import PASSWORD

EDIT_PATH = "/groups/edits"


def set_faults(baseurl: str, *rules: dict[str, Any]) -> requests.Response:
    return requests.put(f"{baseurl}/_sandbox/faults", json={"rules": list(rules)}, timeout=10)


def faults(baseurl: str) -> list[dict[str, Any]]:
    response = requests.get(f"{baseurl}/_sandbox/faults", timeout=10)
    assert response.status_code == 200, response.text
    return response.json()["rules"]


def get_group(baseurl: str, group_id: str = "everyone", *, timeout: float = 10) -> requests.Response:
    return requests.get(f"{baseurl}/groups", params={"id": group_id}, timeout=timeout)


def token(baseurl: str) -> str:
    response = requests.post(f"{baseurl}/login", json={"id": "openreview.net", "password": PASSWORD}, timeout=10)
    assert response.status_code == 200, response.text
    return response.json()["token"]


def group_edit(baseurl: str, bearer: str, group_id: str) -> requests.Response:
    edit = {"invitation": "openreview.net/-/Edit", "readers": ["everyone"], "writers": ["~Super_User1"],
            "signatures": ["~Super_User1"],
            "group": {"id": group_id, "readers": ["everyone"], "writers": [group_id], "signatories": [group_id],
                      "signatures": ["~Super_User1"], "members": []}}
    return requests.post(f"{baseurl}{EDIT_PATH}", json=edit, headers={"Authorization": f"Bearer {bearer}"},
                         timeout=10)


def exists(baseurl: str, bearer: str, group_id: str) -> bool:
    response = requests.get(f"{baseurl}/groups", params={"id": group_id},
                            headers={"Authorization": f"Bearer {bearer}"}, timeout=10)
    return response.status_code == 200


@pytest.fixture(autouse=True)
def no_faults_afterwards(sandbox_server):
    yield
    requests.delete(f"{sandbox_server.baseurl}/_sandbox/faults", timeout=10)


def test_a_rule_lets_requests_through_then_fails_them_then_is_spent(sandbox, baseurl: str) -> None:
    answer = set_faults(baseurl, {"method": "GET", "path": "/groups", "after": 1, "times": 2, "status": 503,
                                  "retry_after": 7})
    assert answer.status_code == 200, answer.text
    assert get_group(baseurl).status_code == 200
    for _ in range(2):
        failed = get_group(baseurl)
        assert failed.status_code == 503
        assert failed.headers["Retry-After"] == "7"
        assert failed.json() == {"name": "ServiceUnavailableError", "status": 503,
                                 "message": "The sandbox failed this request on purpose (fault switch)"}
    assert get_group(baseurl).status_code == 200
    [rule] = faults(baseurl)
    assert (rule["seen"], rule["fired"]) == (3, 2)


def test_times_null_fails_for_ever_and_delete_ends_it(sandbox, baseurl: str) -> None:
    set_faults(baseurl, {"path": "/groups", "times": None, "status": 500, "name": "InternalServerError",
                         "message": "disk on fire"})
    for _ in range(3):
        failed = get_group(baseurl)
        assert failed.status_code == 500
        assert failed.json()["message"] == "disk on fire"
    assert requests.delete(f"{baseurl}/_sandbox/faults", timeout=10).json() == {"status": "ok"}
    assert get_group(baseurl).status_code == 200
    assert faults(baseurl) == []


def test_rules_match_method_and_path_or_prefix(sandbox, baseurl: str) -> None:
    set_faults(baseurl, {"method": "POST", "path_prefix": "/groups", "times": None})
    assert get_group(baseurl).status_code == 200  # another method
    assert requests.get(f"{baseurl}/invitations", params={"id": "openreview.net/-/Edit"},
                        timeout=10).status_code != 503  # another path
    assert group_edit(baseurl, "no-token", "X.cc").status_code == 503


def test_the_control_plane_never_fails(sandbox, baseurl: str) -> None:
    set_faults(baseurl, {"path_prefix": "/", "times": None})
    assert requests.get(f"{baseurl}/_sandbox/health", timeout=10).status_code == 200
    assert get_group(baseurl).status_code == 503


def test_before_processing_nothing_is_stored(sandbox, baseurl: str) -> None:
    bearer = token(baseurl)
    set_faults(baseurl, {"method": "POST", "path": EDIT_PATH})
    assert group_edit(baseurl, bearer, "Before.cc").status_code == 503
    assert not exists(baseurl, bearer, "Before.cc")


def test_after_processing_the_edit_is_stored_and_the_answer_lost(sandbox, baseurl: str) -> None:
    bearer = token(baseurl)
    set_faults(baseurl, {"method": "POST", "path": EDIT_PATH, "phase": "after", "status": 502})
    answer = group_edit(baseurl, bearer, "After.cc")
    assert answer.status_code == 502
    assert answer.json()["name"] == "BadGatewayError"
    assert exists(baseurl, bearer, "After.cc")


@pytest.mark.parametrize("phase", ["before", "after"])
def test_a_dropped_connection(sandbox, baseurl: str, phase: str) -> None:
    bearer = token(baseurl)
    set_faults(baseurl, {"method": "POST", "path": EDIT_PATH, "drop": True, "phase": phase})
    with pytest.raises(requests.ConnectionError):
        group_edit(baseurl, bearer, "Dropped.cc")
    assert exists(baseurl, bearer, "Dropped.cc") is (phase == "after")
    assert get_group(baseurl).status_code == 200  # the server itself carries on


def test_delay_makes_a_client_time_out(sandbox, baseurl: str) -> None:
    set_faults(baseurl, {"path": "/groups", "delay_ms": 1500})
    with pytest.raises(requests.Timeout):
        get_group(baseurl, timeout=0.3)


def test_faulted_requests_are_counted(sandbox, baseurl: str) -> None:
    requests.delete(f"{baseurl}/_sandbox/requests", timeout=10)
    set_faults(baseurl, {"path": "/groups"})
    get_group(baseurl)
    get_group(baseurl)
    counted = requests.get(f"{baseurl}/_sandbox/requests", timeout=10).json()
    assert counted["byRoute"]["GET /groups"] == 2


def test_reset_removes_the_rules(sandbox, baseurl: str) -> None:
    set_faults(baseurl, {"path": "/groups"})
    requests.post(f"{baseurl}/_sandbox/reset", timeout=30).raise_for_status()
    assert faults(baseurl) == []


@pytest.mark.parametrize(("rule", "path", "message"), [
    ({"status": 200}, "rules/0/status", "rules/0/status must be an HTTP error status (400-599)"),
    ({"status": "503"}, "rules/0/status", "rules/0/status must be a non-negative integer"),
    ({"phase": "during"}, "rules/0/phase", "rules/0/phase must be before or after"),
    ({"drop": "yes"}, "rules/0/drop", "rules/0/drop must be boolean"),
    ({"after": -1}, "rules/0/after", "rules/0/after must be a non-negative integer"),
    ({"path": 3}, "rules/0/path", "rules/0/path must be string"),
    ({"pth": "/groups"}, "rules/0/pth", "rules/0/pth is not a fault rule field"),
])
def test_bad_rules_are_refused_and_change_nothing(sandbox, baseurl: str, rule, path, message) -> None:
    set_faults(baseurl, {"path": "/notes"})
    answer = set_faults(baseurl, {"path": "/groups"}, rule)
    assert answer.status_code == 400
    body = answer.json()
    assert body["name"] == "ValidationError"
    assert body["message"] == message.replace("rules/0", "rules/1")
    assert body["details"]["path"] == path.replace("rules/0", "rules/1")
    assert [r["path"] for r in faults(baseurl)] == ["/notes"]


def test_rules_must_be_a_list(sandbox, baseurl: str) -> None:
    answer = requests.put(f"{baseurl}/_sandbox/faults", json={"rule": {}}, timeout=10)
    assert answer.status_code == 400
    assert answer.json()["message"] == "rules must be array"


def test_openreview_py_rides_out_a_transient_fault(sandbox, baseurl: str, root: openreview.api.OpenReviewClient,
                                                   ) -> None:
    """openreview-py retries edit posts on 503 (and honours Retry-After): one failure is invisible."""
    set_faults(baseurl, {"method": "POST", "path": EDIT_PATH, "status": 503, "retry_after": 0})
    root.post_group_edit(invitation="openreview.net/-/Edit", readers=["everyone"], writers=["~Super_User1"],
                         signatures=["~Super_User1"],
                         group=Group(id="Transient.cc", readers=["everyone"], writers=["Transient.cc"],
                                     signatories=["Transient.cc"], signatures=["~Super_User1"], members=[]))
    assert root.get_group("Transient.cc").id == "Transient.cc"
    [rule] = faults(baseurl)
    assert rule["fired"] == 1

"""``GET /docs/api.yml``: the API's OpenAPI definition, where OpenReview serves it and says its API version.

The sandbox's own definition has the official one's ``info`` (``tests/data/openreview-api-v2.yml``) and
the paths it implements; anyone may read it, as on OpenReview.
"""

from __future__ import annotations

from pathlib import Path

import requests
import yaml

SPEC = yaml.safe_load((Path(__file__).resolve().parents[1] / "data" / "openreview-api-v2.yml").read_text())
OPERATIONS = ("get", "post", "put", "delete", "patch")


def test_the_definition_states_the_official_api_version(baseurl: str) -> None:
    response = requests.get(f"{baseurl}/docs/api.yml", timeout=10)  # a guest: no token
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/yaml")
    document = yaml.safe_load(response.text)
    assert document["openapi"] == SPEC["openapi"]
    assert document["info"] == {key: SPEC["info"][key] for key in ("version", "title", "description")}


def test_the_definition_lists_the_paths_the_sandbox_serves(baseurl: str) -> None:
    paths = yaml.safe_load(requests.get(f"{baseurl}/docs/api.yml", timeout=10).text)["paths"]
    assert not any(path.startswith("/_sandbox/") or path == "/docs/api.yml" for path in paths)
    assert set(paths["/notes/edits"]) == {"get", "post"} and set(paths["/activate/{token}"]) == {"put"}
    # what both serve is listed under the official definition's own names
    official = {(path, method) for path, item in SPEC["paths"].items() for method in item if method in OPERATIONS}
    listed = {(path, method) for path, item in paths.items() for method in item}
    assert {("/groups", "get"), ("/invitations", "get"), ("/profiles", "get"), ("/login", "post")} <= official & listed
    for path in sorted(path for path, method in listed if method == "get"):  # reads only: a guest's, harmless
        answer = requests.get(baseurl + path, timeout=10)
        assert f"Cannot GET {path}" not in answer.text, f"GET {path} is listed but not served"
    assert "Cannot GET /no/such/path" in requests.get(f"{baseurl}/no/such/path", timeout=10).text

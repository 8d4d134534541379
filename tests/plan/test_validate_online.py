"""``venueops validate --online`` against the session's sandbox: the people a venue file names have profiles,
the caller may act for the venue (or is told what OpenReview support must provision first), the server
speaks an API version venueops knows; and the server is only read."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import requests

from tests.plan.conftest import AT, Run, ServerRequests, Venueops, credentials
from venueops.engine import online
from venueops.sandbox.responses import API_INFO

V = "DRW.cc/2026/Workshop"
CHAIRS = "  program_chairs: [~Pat_Chair1, chair@drw.example]\n"
SPEC = Path(__file__).resolve().parents[1] / "data" / "openreview-api-v2.yml"


def validate_online(venueops: Venueops, file: Path, *extra: str, env: dict[str, str | None] | None = None) -> Run:
    return venueops("validate", file, "--online", *extra, env=env)


def located(file: Path, needle: str) -> str:
    """``file:line:col`` of the first ``needle`` in the file (as the tests wrote it)."""
    for number, line in enumerate(Path(file).read_text().splitlines(), start=1):
        if needle in line:
            return f"{file}:{number}:{line.index(needle) + 1}"
    raise AssertionError(f"{needle!r} is not in {file}")


def routes(baseurl: str) -> dict[str, int]:
    return requests.get(f"{baseurl}/_sandbox/requests", timeout=10).json()["byRoute"]


def test_a_missing_chair_profile_is_reported_by_name_and_line(venueops: Venueops, venue_file, make_user) -> None:
    make_user("pat@drw.example", "Pat Chair")  # ~Pat_Chair1
    make_user("chair@drw.example", "Chair Person")
    make_user("pub@drw.example", "Pub Chair")  # ~Pub_Chair1, of the raw Publicity_Chairs group
    file = venue_file("workshop", {CHAIRS: "  program_chairs: [~Pat_Chair1, ~Missing_Chair1, chair@drw.example]\n"})
    run = validate_online(venueops, file)
    assert run.exit_code == 1, run.output
    assert (f"  problem  people: {located(file, '~Missing_Chair1')}: ~Missing_Chair1 "
            "(roles.program_chairs.members[1]) has no OpenReview profile\n") in run.stdout
    assert run.stdout.count("problem  people") == 1  # the others exist
    assert "ok       rights: the venue DRW.cc/2026/Workshop does not exist yet; ~Super_User1 may provision" \
        in run.stdout

    document = json.loads(validate_online(venueops, file, "--json").stdout)
    [result] = document["files"]
    assert result["valid"] is True and result["online"]["ok"] is False
    [missing] = [c for c in result["online"]["checks"] if c["status"] == "problem"]
    _, line, column = located(file, "~Missing_Chair1").split(":")
    assert missing | {"message": "…"} == {"check": "people", "status": "problem", "message": "…", "file": str(file),
                                          "line": int(line), "column": int(column),
                                          "path": "roles.program_chairs.members[1]"}
    assert document["server"]["checks"][0]["check"] == "api_version"


def test_people_are_looked_up_in_batches_and_hidden_emails_told_apart(venueops: Venueops, venue_file, make_user,
                                                                     baseurl: str,
                                                                     server_requests: ServerRequests) -> None:
    make_user("pat@drw.example", "Pat Chair")
    make_user("chair@drw.example", "Chair Person")
    make_user("pub@drw.example", "Pub Chair")
    reviewers = [f"~Reviewer_Number{i}" for i in range(1, 21)] + [f"r{i}@elsewhere.example" for i in range(20)]
    file = venue_file("workshop", {"  reviewers: {anonymous: true}\n":
                                   f"  reviewers: {{anonymous: true, members: [{', '.join(reviewers)}, "
                                   "nobody@drw.example]}\n"})
    server_requests.clear()
    as_root = validate_online(venueops, file)
    assert as_root.exit_code == 1
    assert as_root.stdout.count("has no OpenReview profile") == 41
    assert server_requests.count("GET /profiles") == 2  # one for the profile ids, one for the e-mails

    # A chair sees other people's e-mails as ****@domain: chair@drw.example's profile answers the batch, so
    # the two drw.example addresses are asked about alone; the others' domain nobody has.
    server_requests.clear()
    as_chair = validate_online(venueops, file, env=credentials(baseurl, "pat@drw.example"))
    assert "nobody@drw.example (roles.reviewers.members[40]) has no OpenReview profile" in as_chair.stdout
    assert "chair@drw.example" not in as_chair.stdout
    assert as_chair.stdout.count("has no OpenReview profile") == 41
    assert server_requests.count("GET /profiles") == 4


def test_a_caller_without_rights_for_a_new_venue_gets_the_bootstrap_list(venueops: Venueops, venue_file,
                                                                         make_user, baseurl: str) -> None:
    make_user("pat@drw.example", "Pat Chair")
    make_user("chair@drw.example", "Chair Person")
    make_user("pub@drw.example", "Pub Chair")
    file = venue_file("workshop")
    run = validate_online(venueops, file, env=credentials(baseurl, "pat@drw.example"))
    assert run.exit_code == 1, run.output
    assert ("  problem  rights: the venue DRW.cc/2026/Workshop does not exist yet, and ~Pat_Chair1 may not create "
            "what OpenReview support provisions: support must provision first (8 objects)\n") in run.stdout
    for address in (f"+ invitation {V}/-/Edit", "+ group DRW.cc", "+ group DRW.cc/2026", f"+ group {V}",
                    "~ group venues", "~ group active_venues", "~ group host", f"+ group {V}/Program_Chairs"):
        assert f"\n             {address}\n" in run.stdout
    assert (f"OpenReview support would run: venueops apply {file} --baseurl {baseurl} --bootstrap\n"
            f"           then a program chair: venueops apply {file} --baseurl {baseurl}\n") in run.stdout
    assert "is not among the program chairs" not in run.stdout  # ~Pat_Chair1 is one
    assert "problem  people" not in run.stdout

    make_user("outsider@else.example", "Out Sider")
    outsider = validate_online(venueops, file, "--json", env=credentials(baseurl, "outsider@else.example"))
    checks = json.loads(outsider.stdout)["files"][0]["online"]["checks"]
    [warning] = [c for c in checks if c["status"] == "warning"]
    assert "~Out_Sider1 is not among the program chairs the file names" in warning["message"]
    [problem] = [c for c in checks if c["status"] == "problem"]
    assert problem["objects"][0] == f"+ invitation {V}/-/Edit" and len(problem["commands"]) == 2


def test_a_program_chair_of_an_existing_venue_passes(venueops: Venueops, venue_file, make_user,
                                                     baseurl: str) -> None:
    make_user("pat@drw.example", "Pat Chair")
    make_user("chair@drw.example", "Chair Person")
    make_user("pub@drw.example", "Pub Chair")
    file = venue_file("workshop")
    applied = venueops("apply", file, "--auto-approve", "--bootstrap", "--at", AT)
    assert applied.exit_code == 0, applied.output
    run = validate_online(venueops, file, env=credentials(baseurl, "pat@drw.example"))
    assert run.exit_code == 0, run.output
    assert "  ok       rights: ~Pat_Chair1 may act for the venue DRW.cc/2026/Workshop\n" in run.stdout
    assert "  ok       people: all 3 people the file names by profile id or e-mail have profiles\n" in run.stdout
    assert f"{file}: online: ok (" in run.stdout

    make_user("outsider@else.example", "Out Sider")
    outsider = validate_online(venueops, file, env=credentials(baseurl, "outsider@else.example"))
    assert outsider.exit_code == 1
    assert "  problem  rights: ~Out_Sider1 cannot act for the venue DRW.cc/2026/Workshop (only its program chairs" \
        in outsider.stdout


def test_the_api_version_is_one_venueops_knows(venueops: Venueops, venue_file, baseurl: str,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    file = venue_file("workshop", {CHAIRS: "  program_chairs: [DRW.cc/2026/Chairs]\n",
                                   "    members: [~Pub_Chair1]\n": ""})
    known = validate_online(venueops, file)
    assert known.exit_code == 0, known.output
    assert "  ok       API version: the server speaks OpenReview API 1.0.0, which venueops knows\n" in known.stdout

    monkeypatch.setattr(online, "KNOWN_API_VERSIONS", ("2.0.0",))
    unknown = validate_online(venueops, file)
    assert unknown.exit_code == 0, unknown.output  # a warning, not an error
    assert ("  warning  API version: the server speaks OpenReview API 1.0.0, which venueops does not know (it knows "
            "2.0.0)") in unknown.stdout

    rule = {"method": "GET", "path": "/docs/api.yml", "status": 404, "name": "NotFoundError", "times": None}
    requests.put(f"{baseurl}/_sandbox/faults", json={"rules": [rule]}, timeout=10).raise_for_status()
    try:
        silent = validate_online(venueops, file, "--json")
    finally:
        requests.delete(f"{baseurl}/_sandbox/faults", timeout=10).raise_for_status()
    assert silent.exit_code == 0
    [check] = json.loads(silent.stdout)["server"]["checks"]
    assert check["status"] == "warning"
    assert "does not say which version of the OpenReview API it speaks (GET /docs/api.yml answered 404 " \
           "NotFoundError)" in check["message"]


def test_the_versions_known_are_the_official_definitions() -> None:
    version, why = online.definition_version(SPEC.read_text())
    assert (version, why) == ("1.0.0", None)
    assert version in online.KNOWN_API_VERSIONS and API_INFO["version"] == version
    assert online.definition_version("openapi: [") == (None, "/docs/api.yml is not YAML")
    assert online.definition_version("openapi: 3.0.3\n") == (None, "/docs/api.yml states no info.version")


def test_validate_online_only_reads(venueops: Venueops, venue_file, make_user, baseurl: str,
                                    server_requests: ServerRequests) -> None:
    make_user("pat@drw.example", "Pat Chair")
    file = venue_file("workshop")
    for env in (credentials(baseurl), credentials(baseurl, "pat@drw.example")):
        server_requests.clear()
        run = validate_online(venueops, file, env=env)
        assert run.exit_code == 1
        served = routes(baseurl)
        assert served.pop("POST /login") == 1
        assert served and all(route.startswith("GET ") for route in served), served
        assert sum(served.values()) <= 10


def test_a_bad_file_touches_no_server_and_server_options_need_online(venueops: Venueops, venue_file,
                                                                      server_requests: ServerRequests) -> None:
    broken = venue_file("workshop", {"  review:\n": "  reveiw:\n"})
    server_requests.clear()
    run = validate_online(venueops, broken)
    assert run.exit_code == 1 and "did you mean 'review'" in run.stderr
    assert routes(server_requests.baseurl) == {}
    usage = venueops("validate", venue_file("workshop"), "--baseurl", "http://x.test")
    assert usage.exit_code == 2 and "go with --online" in usage.output


def test_errors_name_no_secret(venueops: Venueops, venue_file, baseurl: str) -> None:
    run = validate_online(venueops, venue_file("workshop"), env=credentials(baseurl, password="not-it"))
    assert run.exit_code == 1
    assert run.stderr.startswith("Error: cannot log in to") and "not-it" not in run.output
    assert "Traceback" not in run.output


def test_on_the_embedded_sandbox_the_chairs_are_registered_by_apply(venueops: Venueops, venue_file,
                                                                    tmp_path: Path) -> None:
    file = venue_file("workshop", {"    members: [~Pub_Chair1]\n": ""})
    run = validate_online(venueops, file, "--sandbox", "--sandbox-db", tmp_path / "sandbox.db", env={})
    assert run.exit_code == 0, run.output
    assert "as the sandbox's super user (read only):" in run.stdout
    assert "warning  people: " in run.stdout and "~Pat_Chair1 (roles.program_chairs.members[0]) has no profile on " \
                                                 "the sandbox yet" in run.stdout
    assert "ok       rights: on the sandbox, apply acts for the venue DRW.cc/2026/Workshop as its first program " \
           "chair" in run.stdout

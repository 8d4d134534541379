"""``venueops access --live``: the access the live venue gives, read back from the sandbox over HTTP; the
same grants as the file's own matrix while nothing is released, the release once applied, read only."""

from __future__ import annotations

import json

from tests.plan.conftest import AT, Venueops


def grants(document: dict) -> set[tuple[str, str, str]]:
    return {(g["role"], g["what"], g["verb"]) for g in document["grants"]}


def test_the_live_access_is_the_files_until_a_release_is_applied(venueops: Venueops, venue_file, server_requests,
                                                                  baseurl: str) -> None:
    file = venue_file("workshop")
    assert venueops("apply", file, "--auto-approve", "--bootstrap", "--at", AT).exit_code == 0
    planned = json.loads(venueops("access", file, "--format", "json").stdout)
    server_requests.clear()
    read = venueops("access", file, "--live", "--format", "json")
    assert read.exit_code == 0, read.output
    live = json.loads(read.stdout)
    assert live["source"] == f"live, read from {baseurl}" and planned["source"] == "file"
    assert server_requests.edits() == 0 and server_requests.count("POST /notes/edits") == 0  # read only
    released = ("authors", "Official_Review", "read")  # after the review deadline, by a later apply
    assert released in grants(planned) and released not in grants(live)
    # the live venue's also name the stages no option of the file names (withdrawal, desk rejection)
    named = {what for _, what, _ in grants(planned)}
    assert {g for g in grants(live) if g[1] in named} == grants(planned) - {released}
    assert {"Withdrawal", "Desk_Rejection"} <= {what for _, what, _ in grants(live)} - named
    text = venueops("access", file, "--live", "--role", "authors").stdout
    assert text.startswith(f"Access to DRW.cc/2026/Workshop (live, read from {baseurl})\n")

    assert venueops("apply", file, "--auto-approve", "--bootstrap", "--at", "2026-04-12").exit_code == 0
    after = json.loads(venueops("access", file, "--live", "--format", "json").stdout)
    (authors_read,) = [g for g in after["grants"] if (g["role"], g["what"], g["verb"]) == released]
    assert authors_read["start"] is None  # on the server it now holds from creation


def test_live_access_without_a_server_is_a_clear_error(venueops: Venueops, venue_file) -> None:
    file = venue_file("workshop")
    result = venueops("access", file, "--live", env={"OPENREVIEW_API_BASEURL_V2": None})
    assert result.exit_code == 1 and "no OpenReview server chosen" in result.stderr
    assert "Traceback" not in result.output

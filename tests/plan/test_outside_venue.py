"""Objects outside the venue, and the last check before writing.

A raw object whose id lies outside the venue needs ``outside_venue: true`` (``validate`` refuses it
otherwise, ``tests/compile/test_server_rules.py``); with it, the object is a ``[support]`` change that
only a caller with ``--bootstrap`` rights may apply. And whatever reaches ``apply``, every edit is held
against OpenReview's rules before the first write.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from tests.plan.conftest import AT, ServerRequests, Venueops, credentials
from venueops.apply.preflight import UnacceptableEdits, edit_problems, refuse_unacceptable_edits
from venueops.config.validate import load_venue
from venueops.engine import apply_plan_to_target, plan_venue
from venueops.plan.model import Edit
from venueops.targets.server import server_target

V = "DRW.cc/2026/Workshop"
HOST = '''  - id: DRW.cc/Host_Committee
    outside_venue: true
    readers: [everyone]
    writers: [DRW.cc]
    signatures: [~Super_User1]
    signatories: [DRW.cc]
    members: [~Host_Chair1]
'''


def with_host(venue_file) -> Path:
    return venue_file("workshop", {"groups:\n": "groups:\n" + HOST})


def test_an_object_outside_the_venue_is_a_support_change(venueops: Venueops, venue_file, make_user, baseurl: str,
                                                         root, server_requests: ServerRequests) -> None:
    file = with_host(venue_file)
    assert venueops("validate", file).exit_code == 0
    plan = venueops("plan", file, "--at", AT)
    assert "+ group DRW.cc/Host_Committee" in plan.stdout and "[support]" in plan.stdout
    assert "outside_venue" not in venueops("plan", file, "--json", "--at", AT).stdout  # venueops' own key
    make_user("pat@drw.example", "Pat Chair")
    server_requests.clear()
    refused = venueops("apply", file, "--auto-approve", "--at", AT, env=credentials(baseurl, "pat@drw.example"))
    assert refused.exit_code == 1 and "+ group DRW.cc/Host_Committee" in refused.stderr
    assert server_requests.edits() == 0
    done = venueops("apply", file, "--auto-approve", "--bootstrap", "--at", AT)
    assert done.exit_code == 0, done.output
    assert root.get_group("DRW.cc/Host_Committee").members == ["~Host_Chair1"]
    changed = venue_file("workshop", {"groups:\n": "groups:\n" + HOST.replace("~Host_Chair1", "~Host_Chair2")})
    again = venueops("plan", changed, "--at", AT)
    assert "~ group DRW.cc/Host_Committee" in again.stdout and "[support]" in again.stdout


def _planned(venue_file, baseurl: str, monkeypatch: pytest.MonkeyPatch):
    for name, value in credentials(baseurl).items():
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)
    config = load_venue(venue_file("workshop"))
    target = server_target(baseurl, bootstrap=True)
    return config, target, plan_venue(config, target, at=1_768_478_400_000).plan


def test_apply_checks_every_edit_before_writing_anything(venueops: Venueops, venue_file, baseurl: str,
                                                         monkeypatch: pytest.MonkeyPatch,
                                                         server_requests: ServerRequests) -> None:
    """A plan whose last edit breaks a rule (here made by hand: validate lets no such file through)
    is refused whole, before its first edit."""
    config, target, plan = _planned(venue_file, baseurl, monkeypatch)
    last = plan.changes[-2]
    assert last.edit is not None
    body = {**last.edit.body, "readers": [*last.edit.body["readers"], "not an id"]}
    bad = replace(plan, changes=(*plan.changes[:-2], replace(last, edit=Edit(last.edit.endpoint, body)),
                                 plan.changes[-1]))
    assert edit_problems(plan, 0) == []
    assert edit_problems(bad, 0) == [f"{last.address}: readers[1]: an id may not contain ' '"]
    server_requests.clear()
    with pytest.raises(UnacceptableEdits, match=r"nothing was applied: OpenReview would refuse 1 of the plan's edits"):
        apply_plan_to_target(bad, target, config, at=None, allow_delete=False)
    assert server_requests.edits() == 0
    refuse_unacceptable_edits(plan)  # the plan as made passes

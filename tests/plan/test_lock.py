"""One writer at a time: the venue's write lock (venueops/apply/lock.py) on the session's sandbox.

Writers race for real: threads post through the library the CLI uses, each with its own login, and
the server's ``maxReplies`` decides who holds the lock.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from tests.plan.conftest import AT, Venueops, credentials
from venueops.apply.lock import LEASE_MS, acquire, current_lock, holder_label
from venueops.config.dates import parse_date
from venueops.config.validate import load_venue
from venueops.engine import apply_plan_to_target, plan_venue
from venueops.errors import VenueOpsError
from venueops.reconcile.run import reconcile_venue
from venueops.targets.server import server_target

V = "DRW.cc/2026/Workshop"
REVIEW = f"{V}/-/Official_Review"
MOVED = {"due: 2026-04-10 23:59": "due: 2026-04-17 23:59"}
MOMENT = parse_date(AT, "UTC", end_of_day=False).ms


@pytest.fixture
def applied(venueops: Venueops, venue_file, baseurl: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    """The workshop applied, then its review deadline moved in the file; the environment logs in as a user would."""
    run = venueops("apply", venue_file("workshop"), "--auto-approve", "--bootstrap", "--at", AT)
    assert run.exit_code == 0, run.output
    for name, value in credentials(baseurl).items():
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)
    return tmp_path / venue_file("workshop", MOVED)


def test_two_heals_and_an_apply_at_once_write_once(applied: Path, baseurl: str, root) -> None:
    config = load_venue(applied)
    before = len(root.get_invitation_edits(invitation_id=REVIEW))
    start = threading.Barrier(3)
    outcomes: list[str] = []

    def heal() -> None:
        target = server_target(baseurl, bootstrap=False)
        start.wait()
        result = reconcile_venue(applied, target, mode="heal", on_drift="report", at=MOMENT)
        outcomes.append(f"{result.status}:{result.applied}:{result.error or ''}")

    def apply() -> None:
        target = server_target(baseurl, bootstrap=False)
        plan = plan_venue(config, target, at=MOMENT).plan
        start.wait()
        try:
            done = apply_plan_to_target(plan, target, config, at=MOMENT, allow_delete=False)
            outcomes.append(f"applied:{len(done.report.outcomes)}:")
        except VenueOpsError as error:
            outcomes.append(f"refused:0:{error}")

    threads = [threading.Thread(target=work) for work in (heal, heal, apply)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    writes = [o for o in outcomes if o.split(":")[1] not in ("0", "")]
    assert len(writes) == 1, outcomes
    assert len(root.get_invitation_edits(invitation_id=REVIEW)) == before + 1  # the deadline, posted once
    for other in (o for o in outcomes if o not in writes):
        status, _, why = other.split(":", 2)
        # refused under the lock, refused as stale once it was free, or nothing left to do
        assert status == "in_sync" or "is being changed by venueops" in why or "changed since" in why \
            or "took the lock" in why, outcomes
    assert current_lock(root_client(baseurl), V) is None  # every holder released it


def test_a_crashed_holders_lease_expires_and_the_next_writer_proceeds(applied: Path, venueops: Venueops,
                                                                       baseurl: str) -> None:
    client = root_client(baseurl)
    now = int(time.time() * 1000)  # a server's clock: the leases of apply against it run on the wall clock
    acquire(client, V, holder="venueops apply on a-dead-host (process 1)", now=now)  # never released
    held = venueops("apply", applied, "--auto-approve", "--at", AT)
    assert held.exit_code == 1
    assert "is being changed by venueops apply on a-dead-host (process 1)" in held.stderr
    assert "venueops force-unlock DRW.cc/2026/Workshop" in held.stderr
    # the same lock, left by a holder that crashed a lease ago, is taken over
    unlocked = venueops("force-unlock", V)
    assert unlocked.exit_code == 0 and "Released the lock" in unlocked.stdout, unlocked.output
    acquire(client, V, holder=holder_label("apply"), now=now - LEASE_MS - 1)
    assert venueops("apply", applied, "--auto-approve", "--at", AT).exit_code == 0
    assert current_lock(client, V) is None
    assert venueops("force-unlock", V).stdout == f"{V} is not locked.\n"


def root_client(baseurl: str):
    from tests.conftest import PASSWORD
    from venueops.api.client import ApiClient

    client = ApiClient(baseurl)
    client.login("openreview.net", PASSWORD)
    return client


def test_two_heal_processes_and_an_apply_process_at_once_write_once(applied: Path, baseurl: str, root) -> None:
    """The same race with three venueops processes, as from three hosts: the lock is on the server."""
    before = len(root.get_invitation_edits(invitation_id=REVIEW))
    env = {**os.environ, **{k: v for k, v in credentials(baseurl).items() if v is not None}}
    env.pop("OPENREVIEW_TOKEN", None)
    commands = [["reconcile", str(applied), "--mode", "heal", "--at", AT],
                ["reconcile", str(applied), "--mode", "heal", "--at", AT],
                ["apply", str(applied), "--auto-approve", "--at", AT]]
    runs = [subprocess.Popen([sys.executable, "-m", "venueops", *c], env=env, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True) for c in commands]
    outputs = [(run.wait(timeout=120), *run.communicate()) for run in runs]
    assert len(root.get_invitation_edits(invitation_id=REVIEW)) == before + 1, outputs  # posted once
    wrote = [o for o in outputs if "edit(s) posted" in o[1] or "Checked: a new plan finds no changes" in o[1]]
    assert len(wrote) == 1, outputs
    for code, out, err in (o for o in outputs if o not in wrote):
        # waited its turn and found it done, or was refused with a clear message; never a traceback
        assert "Traceback" not in out + err
        assert (code == 0 and ("in sync" in out or "No changes." in out)) or (code == 1 and (
            "is being changed by venueops" in out + err or "changed since" in out + err)), (code, out, err)
    assert current_lock(root_client(baseurl), V) is None

"""A server that fails halfway through an apply (the sandbox's fault switch): the run stops, says what
was applied, what failed and what was not attempted, and the next run finishes the job without
posting anything twice."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from tests.plan.conftest import AT, ServerRequests, Venueops, check_golden, credentials

FROZEN_MS = 1768435200000  # 2026-01-15 00:00 UTC, as in the goldens
SUCCEEDING_INVITATION_EDITS = 3


@pytest.fixture(autouse=True)
def frozen_clock_and_no_faults_afterwards(sandbox):
    requests.put(f"{sandbox.baseurl}/_sandbox/clock", json={"now": FROZEN_MS}, timeout=10).raise_for_status()
    yield
    requests.delete(f"{sandbox.baseurl}/_sandbox/faults", timeout=10).raise_for_status()


LOCK_INVITATION = 1  # one invitation edit: the venue's write lock (venueops/apply/lock.py)


def planned(venueops: Venueops, file: Path) -> list[dict]:
    run = venueops("plan", file, "--json", "--bootstrap", "--at", AT)
    assert run.exit_code == 0, run.output
    return json.loads(run.stdout)["changes"]


def test_a_failure_halfway_leaves_a_table_and_a_rerun_converges(venueops: Venueops, venue_file, baseurl: str,
                                                                 server_requests: ServerRequests,
                                                                 update_golden: bool) -> None:
    file = venue_file("workshop")
    everything = planned(venueops, file)
    # every invitation edit after the first three fails, retries included (Retry-After 0 keeps it quick)
    requests.put(f"{baseurl}/_sandbox/faults", timeout=10, json={"rules": [
        {"method": "POST", "path": "/invitations/edits", "after": SUCCEEDING_INVITATION_EDITS, "times": None,
         "status": 503, "retry_after": 0, "message": "The database is unavailable"}]}).raise_for_status()

    failed = venueops("apply", file, "--auto-approve", "--bootstrap", "--at", AT)

    assert failed.exit_code == 1
    check_golden("apply-failure.txt", failed.stderr, baseurl, update_golden)
    rows = [line.split("  ")[1].strip() for line in failed.stderr.splitlines()
            if line.startswith("  ") and line.strip().split("  ")[0] in ("applied", "failed", "not attempted")]
    statuses = [line.strip().split("  ")[0] for line in failed.stderr.splitlines()
                if line.startswith("  ") and line.strip().split("  ")[0] in ("applied", "failed", "not attempted")]
    assert len(rows) == len(everything)
    assert statuses.count("failed") == 1 and statuses.index("failed") == statuses.count("applied")
    assert "503 ServiceUnavailableError: The database is unavailable" in failed.stderr
    assert "Traceback" not in failed.output

    requests.delete(f"{baseurl}/_sandbox/faults", timeout=10).raise_for_status()
    remaining = planned(venueops, file)
    not_done = statuses.count("failed") + statuses.count("not attempted")
    # what is left is what failed and what was not attempted (and the inventory, recorded last)
    assert [c["address"] for c in remaining] == [c["address"] for c in everything][-not_done:]

    server_requests.clear()
    rerun = venueops("apply", file, "--auto-approve", "--bootstrap", "--at", AT)
    assert rerun.exit_code == 0, rerun.output
    # nothing posted twice; and the venue's write lock gets its invitation (the first apply, which
    # would have created it, failed): venueops/apply/lock.py
    assert server_requests.edits() == len(remaining) + LOCK_INVITATION
    final = venueops("plan", file, "--detailed-exitcode", "--at", AT)
    assert final.exit_code == 0, final.output


def test_an_edit_whose_answer_is_lost_is_posted_again_and_the_apply_succeeds(venueops: Venueops, venue_file,
                                                                             baseurl: str,
                                                                             server_requests: ServerRequests) -> None:
    """The server stored an edit but the connection dropped before its answer: the client posts the
    same edit again (harmless: it converges) and the apply carries on."""
    file = venue_file("workshop")
    everything = planned(venueops, file)
    requests.put(f"{baseurl}/_sandbox/faults", timeout=10, json={"rules": [
        {"method": "POST", "path": "/invitations/edits", "after": 1, "times": 1, "drop": True,
         "phase": "after"}]}).raise_for_status()
    server_requests.clear()
    run = venueops("apply", file, "--auto-approve", "--bootstrap", "--at", AT)
    assert run.exit_code == 0, run.output
    # the lost one, posted twice; and the venue's write lock's invitation, made after its first apply
    assert server_requests.edits() == len(everything) + 1 + LOCK_INVITATION
    assert venueops("plan", file, "--detailed-exitcode", "--at", AT).exit_code == 0


def test_ctrl_c_during_apply_leaves_the_table_and_exit_130(venueops: Venueops, venue_file, baseurl: str,
                                                            tmp_path: Path) -> None:
    """Interrupted while an edit is on its way (the server holds it), apply still says what was applied."""
    file = tmp_path / venue_file("workshop")
    requests.put(f"{baseurl}/_sandbox/faults", timeout=10, json={"rules": [
        {"method": "POST", "path": "/invitations/edits", "after": 2, "times": 1, "delay_ms": 5000}]}
                 ).raise_for_status()
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("OPENREVIEW_")},
           **{k: v for k, v in credentials(baseurl).items() if v is not None}}
    process = subprocess.Popen([sys.executable, "-m", "venueops", "apply", str(file), "--auto-approve",
                                "--bootstrap", "--at", AT], env=env, cwd=tmp_path, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 30
    while requests.get(f"{baseurl}/_sandbox/faults", timeout=10).json()["rules"][0]["fired"] == 0:
        assert time.monotonic() < deadline and process.poll() is None, "apply never reached the slow edit"
        time.sleep(0.05)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=30)
    assert process.returncode == 130
    assert stderr.startswith("\nApply interrupted: ") and ", 1 failed, " in stderr
    assert "interrupted (Ctrl-C) while posting" in stderr
    assert "Traceback" not in stderr

"""``--sandbox``: the embedded sandbox, provisioned like OpenReview support would, with a chair acting
for the venue; and the README's quickstart, typed at a terminal."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path

from tests.plan.conftest import EXAMPLES, Venueops


def test_apply_on_the_sandbox_provisions_then_acts_as_a_chair(venueops: Venueops, venue_file,
                                                              tmp_path: Path) -> None:
    file = venue_file("workshop")
    db = tmp_path / "state" / "sandbox.db"
    plan = venueops("plan", file, "--sandbox", "--sandbox-db", db, env={})
    assert plan.exit_code == 0, plan.output
    assert "in the sandbox, its super user makes them" in plan.stdout
    run = venueops("apply", file, "--sandbox", "--sandbox-db", db, "--auto-approve", env={})
    assert run.exit_code == 0, run.output
    assert "created accounts for the program chairs: ~Pat_Chair1 (pat_chair1@sandbox.local)" in run.stdout
    assert "acting for the venue as ~Pat_Chair1" in run.stdout
    assert "Checked: a new plan finds no changes." in run.stdout
    assert db.exists()
    again = venueops("plan", file, "--sandbox", "--sandbox-db", db, "--detailed-exitcode", env={})
    assert again.exit_code == 0 and "No changes." in again.stdout
    saved = venueops("plan", venue_file("workshop", {"due: 2026-04-10 23:59": "due: 2026-04-17 23:59"}),
                     "--sandbox", "--sandbox-db", db, "-o", "plan.json", env={})
    assert saved.exit_code == 0
    assert venueops("apply", "plan.json", env={}).exit_code == 0  # the plan names its sandbox


def test_a_sandbox_database_that_cannot_be_used_is_a_clear_error(venueops: Venueops, venue_file,
                                                                 tmp_path: Path) -> None:
    file = venue_file("workshop")
    (tmp_path / "not-sqlite.db").write_text("a text file, not a database")
    (tmp_path / "a-file").write_text("")
    bad = venueops("plan", file, "--sandbox", "--sandbox-db", "not-sqlite.db", env={})
    assert (bad.exit_code, bad.stderr) == (1, "Error: cannot start the sandbox on not-sqlite.db: "
                                              "file is not a database\n")
    nowhere = venueops("plan", file, "--sandbox", "--sandbox-db", "a-file/sandbox.db", env={})
    assert (nowhere.exit_code, nowhere.stderr) == (1, "Error: cannot start the sandbox on a-file/sandbox.db: "
                                                      "File exists\n")
    assert (tmp_path / "not-sqlite.db").read_text() == "a text file, not a database"  # nothing lost


def test_sandbox_and_baseurl_are_exclusive(venueops: Venueops, venue_file) -> None:
    run = venueops("plan", venue_file("workshop"), "--sandbox", "--baseurl", "http://x.test")
    assert run.exit_code == 2 and "choose --sandbox or --baseurl" in run.output


def type_at_terminal(args: list[str], cwd: Path, answer: str | None, timeout: float = 60) -> str:
    """Run venueops on a pseudo-terminal; when it asks for confirmation, type ``answer``."""
    primary, secondary = pty.openpty()
    env = {k: v for k, v in os.environ.items() if not k.startswith("OPENREVIEW_")} | {"NO_COLOR": "1",
                                                                                     "COLUMNS": "120"}
    process = subprocess.Popen([sys.executable, "-m", "venueops", *args], cwd=cwd, env=env, stdin=secondary,
                               stdout=secondary, stderr=secondary, close_fds=True)
    os.close(secondary)
    output = b""
    deadline = time.monotonic() + timeout
    answered = False
    while time.monotonic() < deadline:
        ready, _, _ = select.select([primary], [], [], 0.2)
        if ready:
            try:
                chunk = os.read(primary, 65536)
            except OSError:
                break
            if not chunk:
                break
            output += chunk
            if answer is not None and not answered and b"will be accepted" in output:
                os.write(primary, answer.encode() + b"\n")
                answered = True
        elif process.poll() is not None:
            break
    process.wait(timeout=10)
    os.close(primary)
    return output.decode(errors="replace").replace("\r\n", "\n")


def test_the_quickstart_at_a_terminal(tmp_path: Path) -> None:
    """README: `venueops apply examples/venues/workshop.yaml --sandbox` shows the plan, asks, applies;
    run again, it reports no changes."""
    example = str(EXAMPLES / "workshop.yaml")
    declined = type_at_terminal(["apply", example, "--sandbox"], tmp_path, "no")
    assert "Plan: 25 to add" in declined and "nothing was applied: not confirmed" in declined
    first = type_at_terminal(["apply", example, "--sandbox"], tmp_path, "yes")
    assert "Plan: 25 to add, 4 to change, 0 to expire, 0 to delete." in first
    assert "Apply complete: 25 added, 4 changed, 0 expired, 0 deleted." in first
    assert "Checked: a new plan finds no changes." in first
    second = type_at_terminal(["apply", example, "--sandbox"], tmp_path, None)
    assert "No changes. The venue matches the configuration." in second and "will be accepted" not in second
    assert (tmp_path / ".venueops" / "sandbox.db").exists()


def test_two_sandbox_applies_at_once_take_turns(tmp_path: Path) -> None:
    """Two `apply --sandbox` on one database at the same moment: the second waits for the first (saying
    so), then finds nothing left to do; neither trips over the other's accounts or objects."""
    example = str(EXAMPLES / "workshop.yaml")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENREVIEW_", "VENUEOPS_"))} | {"NO_COLOR": "1"}
    command = [sys.executable, "-m", "venueops", "apply", example, "--sandbox", "--auto-approve"]
    runs = [subprocess.Popen(command, cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True) for _ in range(2)]
    outputs = [run.communicate(timeout=120) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outputs
    applied = [out for out, _ in outputs if "Apply complete: 25 added" in out]
    unchanged = [out for out, _ in outputs if "No changes. The venue matches the configuration." in out]
    assert len(applied) == 1 and len(unchanged) == 1, outputs
    assert any("Waiting for another venueops command (process " in err for _, err in outputs), outputs
    assert "already" not in "".join(out + err for out, err in outputs)


def test_a_sandbox_whose_root_password_was_chosen_needs_it(tmp_path: Path, venueops: Venueops, venue_file) -> None:
    """A database created with an operator's root password keeps it: venueops says which variable to set."""
    from venueops.sandbox import Sandbox

    db = tmp_path / "chosen.db"
    Sandbox(db=db, root_password="an-operator-secret").start().stop()
    run = venueops("plan", venue_file("workshop"), "--sandbox", "--sandbox-db", db, env={})
    assert run.exit_code == 1
    assert "keeps a root password its operator chose; set VENUEOPS_SANDBOX_ROOT_PASSWORD" in run.stderr
    assert "an-operator-secret" not in run.output
    ok = venueops("plan", venue_file("workshop"), "--sandbox", "--sandbox-db", db,
                  env={"VENUEOPS_SANDBOX_ROOT_PASSWORD": "an-operator-secret"})
    assert ok.exit_code == 0, ok.output


def test_reconcile_at_a_terminal_shows_progress_and_its_lines(tmp_path: Path) -> None:
    """On a terminal, reconcile draws a progress bar (rich, on stderr) above which each venue's line
    appears; its summary ends the output."""
    example = str(EXAMPLES / "workshop.yaml")
    assert "Checked: a new plan" in type_at_terminal(["apply", example, "--sandbox", "--auto-approve"], tmp_path,
                                                      None)
    shown = type_at_terminal(["reconcile", example, "--sandbox"], tmp_path, None)  # on the sandbox clock
    assert "Reconciling" in shown  # the bar
    assert "in sync   DRW.cc/2026/Workshop" in shown
    assert shown.rstrip().endswith("1 venue(s): 1 in sync, 0 healed, 0 with changes, 0 error(s).")

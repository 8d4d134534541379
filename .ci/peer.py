"""The peer suite in CI: openreview-py's own venue tests, unchanged, against `venueops sandbox serve`.

Runs `shared/peer/run.sh` (from the project's root, the project's venv active) and compares each
file's passed tests with the committed baseline, `tests/peer_baseline.json`. Fails when a file passes
fewer than its baseline, or when a file is missing from it. A file that passes more says so: raise
its baseline in the same commit, so the baseline only goes up.

What it prepares:
- the peer venv (`.peer-venv`): the openreview-py snapshot beside run.sh, pytest, selenium, and
  time-machine. Scripts the sandbox runs for the peer tests run in that venv
  (`VENUEOPS_SANDBOX_WORKER_PYTHON`): its openreview-py is the snapshot the tests were written for.
- socat (run.sh forwards port 3000 with it), installed with apt-get when missing and possible.

Where the suite is: `$VENUEOPS_PEER_DIR`, else `../shared/peer` beside the clone, else
`/work/shared/peer`. Without it, there is nothing to compare: the script says so and exits 0.
Env: PER_FILE_S (run.sh's per-file limit; 400 here), PEER_LOGS (where logs go).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BASELINE = ROOT / "tests" / "peer_baseline.json"
VENV = ROOT / ".peer-venv"
LINE = re.compile(r"^(?P<file>test_\S+\.py): (?P<passed>\d+) of (?P<total>\d+) passed \((?P<skipped>\d+) skipped\)")


def peer_dir() -> Path | None:
    candidates = [os.environ.get("VENUEOPS_PEER_DIR"), ROOT.parent / "shared" / "peer", "/work/shared/peer"]
    for candidate in candidates:
        if candidate and (Path(candidate) / "run.sh").is_file():
            return Path(candidate).resolve()
    return None


def ensure_socat() -> None:
    if shutil.which("socat"):
        return
    apt = shutil.which("apt-get")
    if apt is None:
        sys.exit("peer suite: socat is missing and apt-get is not available to install it")
    sudo = [] if os.geteuid() == 0 else ["sudo", "-n"]
    subprocess.run([*sudo, apt, "-qq", "update"], check=False, stdout=subprocess.DEVNULL)
    subprocess.run([*sudo, apt, "-qq", "install", "-y", "socat"], check=False, stdout=subprocess.DEVNULL)
    if not shutil.which("socat"):
        sys.exit("peer suite: socat is missing and could not be installed (apt-get install -y socat)")


def ensure_venv(snapshot: Path) -> Path:
    python = VENV / "bin" / "python"
    if python.exists() and subprocess.run([python, "-c", "import openreview, time_machine, selenium, pytest"],
                                          capture_output=True).returncode == 0:
        return python
    subprocess.run([sys.executable, "-m", "venv", "--clear", VENV], check=True)
    with tempfile.TemporaryDirectory() as build:
        copy = Path(build) / "openreview-py"
        shutil.copytree(snapshot, copy)  # the shared folder may be read-only; pip builds in place
        for path in copy.rglob("*"):
            path.chmod(path.stat().st_mode | 0o200)
        subprocess.run([python, "-m", "pip", "install", "-q", str(copy), "pytest", "selenium", "time-machine"],
                       check=True)
    return python


def main() -> int:
    where = peer_dir()
    if where is None:
        print("peer suite: not found (set VENUEOPS_PEER_DIR); nothing compared")
        return 0
    baseline: dict[str, int] = json.loads(BASELINE.read_text())
    ensure_socat()
    python = ensure_venv(where / "openreview-py")
    env = {**os.environ, "PEER_VENV": str(VENV), "VENUEOPS_SANDBOX_WORKER_PYTHON": str(python),
           "PER_FILE_S": os.environ.get("PER_FILE_S", "400")}
    print(f"peer suite: {where} (baseline {BASELINE.relative_to(ROOT)})", flush=True)
    lines: list[str] = []
    with subprocess.Popen(["bash", str(where / "run.sh")], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True) as run:
        assert run.stdout is not None
        for line in run.stdout:  # one line per file as it finishes
            print(line, end="", flush=True)
            lines.append(line)
    results = {m["file"]: int(m["passed"]) for m in map(LINE.match, lines) if m}
    if not results:
        print("peer suite: run.sh reported no files", file=sys.stderr)
        return 1
    problems, raised = [], []
    for name, passed in sorted(results.items()):
        expected = baseline.get(name)
        if expected is None:
            problems.append(f"{name}: {passed} passed, and it has no baseline: add it to {BASELINE.name}")
        elif passed < expected:
            problems.append(f"{name}: {passed} passed, fewer than its baseline {expected}")
        elif passed > expected:
            raised.append(f"{name}: {passed} passed, more than its baseline {expected}: raise it")
    for name in sorted(set(baseline) - set(results)):
        problems.append(f"{name}: in the baseline but not run")
    for line in raised:
        print(f"peer suite: {line}")
    for line in problems:
        print(f"peer suite: FAIL {line}", file=sys.stderr)
    print(f"peer suite: {sum(results.values())} passed; baseline {sum(baseline.values())}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())

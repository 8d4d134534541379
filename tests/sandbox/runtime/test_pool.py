"""Worker processes run scripts against a real sandbox, on the sandbox's clock, within their limits."""

from __future__ import annotations

import sys
import time

import pytest
import requests

from venueops.sandbox import Sandbox
from venueops.sandbox.runtime.pool import WORKER_PYTHON_ENV, Limits, WorkerPool

MOMENT_MS = 1_700_000_000_000  # 2023-11-14 22:13:20 UTC


def job(sandbox: Sandbox, script: str) -> dict:
    token = requests.post(f"{sandbox.baseurl}/login", json={"id": "openreview.net", "password": sandbox.root_password},
                          timeout=10).json()["token"]
    return {"kind": "date", "invitation": {"id": "V/-/Probe"}, "baseurl": sandbox.baseurl, "token": token,
            "now_ms": MOMENT_MS, "date_index": 1, "script": script, "name": "<probe>"}


def test_a_script_gets_a_super_user_client_the_globals_and_the_sandbox_clock(sandbox: Sandbox) -> None:
    pool = WorkerPool(size=1)
    try:
        script = ("def process(client, invitation):\n"
                  "    import time\n"
                  "    print(client.profile.id, invitation.id, date_index, openreview.__name__,\n"
                  "          datetime.datetime.now(datetime.UTC).year, int(time.time()) // 1000)\n")
        result = pool.run(job(sandbox, script), Limits(seconds=30))
    finally:
        pool.close()
    assert result["status"] == "ok", result
    assert result["log"] == f"~Super_User1 V/-/Probe 1 openreview 2023 {MOMENT_MS // 1_000_000}\n"


def test_a_raising_script_is_an_error_with_its_message_and_traceback(sandbox: Sandbox) -> None:
    pool = WorkerPool(size=1)
    try:
        script = ("def process(client, invitation):\n"
                  "    raise openreview.OpenReviewException({'name': 'Error', 'message': 'no'})\n")
        result = pool.run(job(sandbox, script), Limits(seconds=30))
    finally:
        pool.close()
    assert result["status"] == "error" and result["message"] == "no"
    assert "Traceback" in result["log"] and 'File "<probe>", line 2, in process' in result["log"]


def test_endless_loops_crashes_and_memory_hogs_are_stopped_and_the_pool_goes_on(sandbox: Sandbox) -> None:
    pool = WorkerPool(size=1, memory_mb=1024)
    try:
        started = time.monotonic()
        looped = pool.run(job(sandbox, "def process(client, invitation):\n    while True:\n        pass\n"),
                          Limits(seconds=1))
        assert time.monotonic() - started < 5
        assert looped["status"] == "error" and "longer than the time limit (1 s)" in looped["log"]
        hog = pool.run(job(sandbox, "def process(client, invitation):\n    x = bytearray(4 * 1024 ** 3)\n"),
                       Limits(seconds=30))
        assert hog["status"] == "error" and "MemoryError" in hog["log"]
        died = pool.run(job(sandbox, "import os\ndef process(client, invitation):\n    os._exit(3)\n"),
                        Limits(seconds=30))
        assert died["status"] == "error" and "died (exit status 3)" in died["log"]
        fine = pool.run(job(sandbox, "def process(client, invitation):\n    print('still here')\n"),
                        Limits(seconds=30))
        assert fine == {"status": "ok", "log": "still here\n", "message": None}
    finally:
        pool.close()


def test_scripts_can_run_in_another_python_and_a_bad_one_is_a_clear_error(sandbox: Sandbox,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """VENUEOPS_SANDBOX_WORKER_PYTHON picks the interpreter (and so the openreview-py release) scripts run in."""
    script = "def process(client, invitation):\n    import sys\n    print(sys.executable)\n"
    monkeypatch.setenv(WORKER_PYTHON_ENV, sys.executable)
    pool = WorkerPool(size=1)
    try:
        assert pool.run(job(sandbox, script), Limits(seconds=30))["log"] == sys.executable + "\n"
    finally:
        pool.close()
    monkeypatch.setenv(WORKER_PYTHON_ENV, "/nowhere/python3")
    pool = WorkerPool(size=1)
    try:
        result = pool.run(job(sandbox, script), Limits(seconds=30))
    finally:
        pool.close()
    assert result["status"] == "error" and "cannot start a script worker with /nowhere/python3" in result["log"]


def test_a_fan_out_of_128_threads_fits_in_half_the_default_memory_cap(sandbox: Sandbox) -> None:
    """openreview-py's fan-outs post through ``tools.concurrent_requests`` on 128 threads. The cap counts
    address space, and at 8 MB of stack and a 64 MB malloc arena per thread such a fan-out once reserved
    over 2 GB (using a few MB), so its threads failed to start at the default cap of 2048 MB."""
    script = ("def process(client, invitation):\n"
              "    import threading\n"
              "    from concurrent.futures import ThreadPoolExecutor\n"
              "    ready, go = threading.Barrier(129), threading.Event()\n"
              "    def hold(_):\n"
              "        got = client.get_group('openreview.net')  # each thread makes a request, then waits\n"
              "        ready.wait()\n"
              "        go.wait()\n"
              "        return got.id\n"
              "    with ThreadPoolExecutor(max_workers=128) as pool:\n"
              "        held = [pool.submit(hold, i) for i in range(128)]\n"
              "        ready.wait(timeout=30)\n"
              "        print(threading.active_count())\n"
              "        go.set()\n"
              "    print(len({h.result() for h in held}))\n")
    pool = WorkerPool(size=1, memory_mb=1024)
    try:
        result = pool.run(job(sandbox, script), Limits(seconds=60))
    finally:
        pool.close()
    assert result["status"] == "ok", result["log"]
    assert result["log"] == "129\n1\n"

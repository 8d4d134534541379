"""``venueops sandbox serve`` as a user runs it: a real subprocess, real HTTP, openreview-py as the client.

Each test starts its own server processes (``--port 0``) in a temporary working directory and reads
the base URL from what the command prints. The ``launch`` fixture kills whatever is still running
when a test ends, whether it passed or not.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import openreview
import pytest
import requests
from openreview.api import Group, Invitation, Note

DEV_PASSWORD = "Or$3cur3P@ssw0rd"  # OpenReview's local development password, the loopback default
FLAG_PASSWORD = "flag-Pw-7f3a9c-secret"
ENV_PASSWORD = "env-Pw-41b8e2-secret"
OTHER_PASSWORD = "other-Pw-c05d1e-secret"
USER_PASSWORD = "user-Pw-9a7e31-secret"
PASSWORD_ENV = "VENUEOPS_SANDBOX_ROOT_PASSWORD"
URL_LINE = re.compile(r"listening on (http://\S+)")


class Served:
    """One ``python -m venueops ...`` process with its output collected line by line."""

    def __init__(self, args: list[str], *, cwd: Path, env: dict[str, str]) -> None:
        self.args = args
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "venueops", *args],
            cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            text=True,
        )
        self._out: list[str] = []
        self._err: list[str] = []
        self._readers = [
            threading.Thread(target=self._pump, args=(self.proc.stdout, self._out), daemon=True),
            threading.Thread(target=self._pump, args=(self.proc.stderr, self._err), daemon=True),
        ]
        for reader in self._readers:
            reader.start()
        self.baseurl: str | None = None

    @staticmethod
    def _pump(stream, into: list[str]) -> None:
        for line in stream:
            into.append(line)

    @property
    def stdout(self) -> str:
        return "".join(self._out)

    @property
    def stderr(self) -> str:
        return "".join(self._err)

    def output(self) -> str:
        return f"stdout:\n{self.stdout}\nstderr:\n{self.stderr}"

    def wait_ready(self, timeout: float = 20.0) -> str:
        """The printed base URL, once ``/_sandbox/health`` answers there."""
        deadline = time.monotonic() + timeout
        while self.baseurl is None:
            found = URL_LINE.search(self.stdout)
            if found:
                self.baseurl = found.group(1)
                break
            if self.proc.poll() is not None:
                raise AssertionError(f"the server exited ({self.proc.returncode}) before announcing a URL\n"
                                     + self.output())
            if time.monotonic() > deadline:
                raise AssertionError("no base URL printed in time\n" + self.output())
            time.sleep(0.02)
        while True:
            with contextlib.suppress(requests.ConnectionError):
                if requests.get(f"{self.baseurl}/_sandbox/health", timeout=5).status_code == 200:
                    return self.baseurl
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise AssertionError("the server never answered /_sandbox/health\n" + self.output())
            time.sleep(0.02)

    def stop(self, sig: int = signal.SIGINT, timeout: float = 15.0) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.kill()
                raise AssertionError(f"the server ignored signal {sig}\n" + self.output()) from None
        for reader in self._readers:
            reader.join(timeout=5)
        return self.proc.returncode

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait(timeout=10)
        for reader in self._readers:
            reader.join(timeout=5)


Launcher = Callable[..., Served]


@pytest.fixture
def base_env() -> dict[str, str]:
    """The test process's environment without anything that would choose a password or a login."""
    env = {k: v for k, v in os.environ.items() if k != PASSWORD_ENV and not k.startswith("OPENREVIEW_")}
    env["PYTHONUNBUFFERED"] = "1"
    return env


@pytest.fixture
def launch(tmp_path: Path, base_env: dict[str, str]) -> Iterator[Launcher]:
    """Start ``venueops <args>`` in ``tmp_path``; every process started is killed at teardown."""
    started: list[Served] = []

    def start(*args: str, env: dict[str, str] | None = None) -> Served:
        served = Served(list(args), cwd=tmp_path, env=env if env is not None else base_env)
        started.append(served)
        return served

    yield start
    for served in started:
        served.kill()


def run_cli(args: list[str], *, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Run a command that is expected to finish by itself (``subprocess.run`` kills it on timeout)."""
    return subprocess.run([sys.executable, "-m", "venueops", *args], cwd=cwd, env=env, stdin=subprocess.DEVNULL,
                          capture_output=True, text=True, timeout=30)


def login_root(baseurl: str, password: str) -> openreview.api.OpenReviewClient:
    return openreview.api.OpenReviewClient(baseurl=baseurl, username="openreview.net", password=password)


def assert_refused(baseurl: str, password: str) -> None:
    with pytest.raises(openreview.OpenReviewException) as refused:
        login_root(baseurl, password)
    assert "Invalid username or password" in str(refused.value)


def assert_no_traceback(*texts: str) -> None:
    for text in texts:
        assert "Traceback" not in text, text


def assert_not_leaked(password: str, *texts: str) -> None:
    for text in texts:
        assert password not in text, f"the password appears in the output:\n{text}"


def non_loopback_address() -> str | None:
    """An address of this machine outside loopback, if it has one (no packet is sent)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("10.255.255.255", 1))
        except OSError:
            return None
        address = probe.getsockname()[0]
    return None if address.startswith("127.") else address


# -- help ---------------------------------------------------------------------------------------

def test_help(tmp_path: Path, base_env: dict[str, str]) -> None:
    top = run_cli(["--help"], cwd=tmp_path, env=base_env)
    assert top.returncode == 0, top.stderr
    assert "sandbox" in top.stdout
    serve = run_cli(["sandbox", "serve", "--help"], cwd=tmp_path, env=base_env)
    assert serve.returncode == 0, serve.stderr
    for option in ("--host", "--port", "--db", "--memory", "--root-password", PASSWORD_ENV):
        assert option in serve.stdout
    assert_no_traceback(top.stderr, serve.stderr)


# -- binding and passwords ------------------------------------------------------------------------

def test_binds_loopback_by_default_and_prints_the_base_url(launch: Launcher, tmp_path: Path) -> None:
    served = launch("sandbox", "serve", "--port", "0")
    baseurl = served.wait_ready()
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+", baseurl), served.stdout
    port = int(baseurl.rsplit(":", 1)[1])
    assert port != 0

    # Nothing listens on the machine's other interfaces.
    other = non_loopback_address()
    if other is not None:
        with pytest.raises(OSError), socket.create_connection((other, port), timeout=2):
            pass

    # No password chosen: on loopback the super user has OpenReview's local development password.
    root = login_root(baseurl, DEV_PASSWORD)
    assert root.profile.id == "~Super_User1"
    assert root.get_group("openreview.net").members == ["~Super_User1"]
    # The default database is .venueops/sandbox.db under the working directory.
    assert (tmp_path / ".venueops" / "sandbox.db").is_file()
    served.stop(signal.SIGTERM)
    assert_no_traceback(served.stdout, served.stderr)


def test_root_password_from_the_flag(launch: Launcher) -> None:
    served = launch("sandbox", "serve", "--port", "0", "--memory", "--root-password", FLAG_PASSWORD)
    baseurl = served.wait_ready()
    root = login_root(baseurl, FLAG_PASSWORD)
    assert root.profile.id == "~Super_User1"
    assert_refused(baseurl, "not-the-password")
    assert_refused(baseurl, DEV_PASSWORD)
    served.stop()
    assert_not_leaked(FLAG_PASSWORD, served.stdout, served.stderr)
    assert_no_traceback(served.stdout, served.stderr)


def test_root_password_from_the_environment(launch: Launcher, base_env: dict[str, str]) -> None:
    # --access-log prints every request: the password must not show up there either.
    served = launch("sandbox", "serve", "--port", "0", "--memory", "--access-log",
                    env={**base_env, PASSWORD_ENV: ENV_PASSWORD})
    baseurl = served.wait_ready()
    root = login_root(baseurl, ENV_PASSWORD)
    assert root.profile.id == "~Super_User1"
    assert_refused(baseurl, "not-the-password")
    assert_refused(baseurl, DEV_PASSWORD)
    served.stop()
    assert_not_leaked(ENV_PASSWORD, served.stdout, served.stderr)
    assert_no_traceback(served.stdout, served.stderr)


def test_the_flag_wins_over_the_environment(launch: Launcher, base_env: dict[str, str]) -> None:
    served = launch("sandbox", "serve", "--port", "0", "--memory", "--root-password", FLAG_PASSWORD,
                    env={**base_env, PASSWORD_ENV: ENV_PASSWORD})
    baseurl = served.wait_ready()
    assert login_root(baseurl, FLAG_PASSWORD).profile.id == "~Super_User1"
    assert_refused(baseurl, ENV_PASSWORD)
    served.stop()
    assert_not_leaked(FLAG_PASSWORD, served.stdout, served.stderr)
    assert_not_leaked(ENV_PASSWORD, served.stdout, served.stderr)


def test_a_non_loopback_host_needs_a_chosen_password(tmp_path: Path, base_env: dict[str, str]) -> None:
    for env in (base_env, {**base_env, PASSWORD_ENV: ""}):
        result = run_cli(["sandbox", "serve", "--host", "0.0.0.0", "--port", "0", "--memory"], cwd=tmp_path, env=env)
        assert result.returncode != 0
        assert "0.0.0.0 is not a loopback interface" in result.stderr
        assert "--root-password" in result.stderr and PASSWORD_ENV in result.stderr
        assert "listening" not in result.stdout
        assert_no_traceback(result.stdout, result.stderr)
        assert_not_leaked(DEV_PASSWORD, result.stdout, result.stderr)


def test_a_non_loopback_host_with_a_chosen_password_serves(launch: Launcher, base_env: dict[str, str]) -> None:
    served = launch("sandbox", "serve", "--host", "0.0.0.0", "--port", "0", "--memory",
                    env={**base_env, PASSWORD_ENV: ENV_PASSWORD})
    baseurl = served.wait_ready()
    assert re.fullmatch(r"http://0\.0\.0\.0:\d+", baseurl), served.stdout
    local = baseurl.replace("0.0.0.0", "127.0.0.1")
    assert login_root(local, ENV_PASSWORD).profile.id == "~Super_User1"
    assert_refused(local, DEV_PASSWORD)
    served.stop()
    assert_not_leaked(ENV_PASSWORD, served.stdout, served.stderr)


# -- usage errors ---------------------------------------------------------------------------------

def test_db_and_memory_together_is_a_usage_error(tmp_path: Path, base_env: dict[str, str]) -> None:
    result = run_cli(["sandbox", "serve", "--port", "0", "--db", str(tmp_path / "s.db"), "--memory",
                      "--root-password", FLAG_PASSWORD], cwd=tmp_path, env=base_env)
    assert result.returncode == 2  # click's usage error
    assert "--db" in result.stderr and "--memory" in result.stderr
    assert "Usage:" in result.stderr
    assert not (tmp_path / "s.db").exists()
    assert "listening" not in result.stdout
    assert_no_traceback(result.stdout, result.stderr)
    assert_not_leaked(FLAG_PASSWORD, result.stdout, result.stderr)


def test_a_port_in_use_is_reported_without_traceback(tmp_path: Path, base_env: dict[str, str]) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run_cli(["sandbox", "serve", "--port", str(port), "--memory", "--root-password", FLAG_PASSWORD],
                         cwd=tmp_path, env=base_env)
    assert result.returncode == 1
    assert f"cannot listen on 127.0.0.1:{port}" in result.stderr
    assert "listening on" not in result.stdout
    assert_no_traceback(result.stdout, result.stderr)
    assert_not_leaked(FLAG_PASSWORD, result.stdout, result.stderr)


def test_an_unusable_db_path_is_reported_as_a_database_problem(tmp_path: Path, base_env: dict[str, str]) -> None:
    (tmp_path / "plainfile").write_text("not a directory")
    target = tmp_path / "plainfile" / "sandbox.db"
    result = run_cli(["sandbox", "serve", "--port", "0", "--db", str(target), "--root-password", FLAG_PASSWORD],
                     cwd=tmp_path, env=base_env)
    assert result.returncode == 1
    assert_no_traceback(result.stdout, result.stderr)
    assert_not_leaked(FLAG_PASSWORD, result.stdout, result.stderr)
    # The message names the database that cannot be opened, not the socket (which is fine).
    assert "plainfile" in result.stderr, result.stderr
    assert "cannot listen" not in result.stderr, result.stderr


# -- stopping ---------------------------------------------------------------------------------------

def test_ctrl_c_stops_the_server_cleanly(launch: Launcher) -> None:
    """SIGINT is how the foreground server is meant to stop: not reported as a failure."""
    served = launch("sandbox", "serve", "--port", "0", "--memory")
    served.wait_ready()
    returncode = served.stop(signal.SIGINT)
    assert_no_traceback(served.stdout, served.stderr)
    assert returncode in (0, 130), f"exit status {returncode} after Ctrl-C\n{served.output()}"
    assert "Aborted" not in served.stderr


# -- persistence ------------------------------------------------------------------------------------

def create_world(baseurl: str, root_password: str) -> tuple[openreview.api.OpenReviewClient, dict[str, str]]:
    """A user, a group, an invitation and a note, all through openreview-py; returns the user's client."""
    root = login_root(baseurl, root_password)
    guest = openreview.api.OpenReviewClient(baseurl=baseurl)
    registered = guest.register_user(email="keep@cli.example", fullname="Kim Keeper", password=USER_PASSWORD)
    guest.activate_user("keep@cli.example", {
        "names": [{"fullname": "Kim Keeper", "username": registered["id"], "preferred": True}],
        "emails": ["keep@cli.example"], "preferredEmail": "keep@cli.example",
    })
    user = openreview.api.OpenReviewClient(baseurl=baseurl, username="keep@cli.example", password=USER_PASSWORD)
    root.post_group_edit(
        invitation="openreview.net/-/Edit", readers=["everyone"], writers=["~Super_User1"],
        signatures=["~Super_User1"],
        group=Group(id="Keep.cc", readers=["everyone"], writers=["Keep.cc"], signatories=["Keep.cc"],
                    signatures=["~Super_User1"], members=["~Kim_Keeper1"]),
    )
    root.post_invitation_edit(
        invitations="openreview.net/-/Edit", readers=["everyone"], writers=["openreview.net"],
        signatures=["~Super_User1"],
        invitation=Invitation(
            id="Keep.cc/-/Comment", invitees=["~"], readers=["everyone"], writers=["openreview.net"],
            signatures=["~Super_User1"],
            edit={
                "signatures": {"param": {"items": [{"prefix": "~.*"}]}},
                "readers": ["everyone"], "writers": ["openreview.net"],
                "note": {"signatures": ["${3/signatures}"], "readers": ["everyone"],
                         "writers": ["openreview.net", "${3/signatures}"],
                         "content": {"text": {"value": {"param": {"type": "string"}}}}},
            },
        ),
    )
    edit = user.post_note_edit(invitation="Keep.cc/-/Comment", signatures=["~Kim_Keeper1"],
                               note=Note(content={"text": {"value": "kept across restarts"}}))
    return user, {"user": registered["id"], "note": edit["note"]["id"]}


def assert_world(baseurl: str, root_password: str, token: str, made: dict[str, str]) -> None:
    root = login_root(baseurl, root_password)
    assert root.get_group("Keep.cc").members == [made["user"]]
    assert root.get_group("keep@cli.example").members == [made["user"]]
    assert root.get_invitation("Keep.cc/-/Comment").invitees == ["~"]
    note = root.get_note(made["note"])
    assert note.content["text"]["value"] == "kept across restarts"
    assert note.signatures == [made["user"]]
    # The user still logs in with their password ...
    fresh = openreview.api.OpenReviewClient(baseurl=baseurl, username="keep@cli.example", password=USER_PASSWORD)
    assert fresh.profile.id == made["user"]
    # ... and a token issued before the restart still works.
    old = openreview.api.OpenReviewClient(baseurl=baseurl, token=token)
    assert old.profile is not None and old.profile.id == made["user"]
    assert old.get_note(made["note"]).id == made["note"]
    assert old.get_group(made["user"]).members == ["keep@cli.example"]


def test_db_file_keeps_data_across_restarts(launch: Launcher, tmp_path: Path) -> None:
    db = tmp_path / "state" / "venue.db"
    first = launch("sandbox", "serve", "--port", "0", "--db", str(db), "--root-password", FLAG_PASSWORD)
    baseurl = first.wait_ready()
    assert str(db) in first.stdout
    user, made = create_world(baseurl, FLAG_PASSWORD)
    token = user.token
    # Frozen at wall time: after everything above was created (the invitation is open), and not
    # ahead of the wall clock (tokens issued ahead of wall time are test_control_plane's business).
    frozen_at = int(time.time() * 1000)
    assert requests.put(f"{baseurl}/_sandbox/clock", json={"now": frozen_at}, timeout=10).status_code == 200
    first.stop(signal.SIGINT)
    assert db.is_file()

    # Restart on the same file (with another root password: a chosen one replaces the stored one).
    second = launch("sandbox", "serve", "--port", "0", "--db", str(db), "--root-password", OTHER_PASSWORD)
    baseurl = second.wait_ready()
    assert_world(baseurl, OTHER_PASSWORD, token, made)
    assert_refused(baseurl, FLAG_PASSWORD)
    # The clock setting is part of the database too.
    assert requests.get(f"{baseurl}/_sandbox/clock", timeout=10).json() == {"now": frozen_at, "mode": "frozen"}
    later = openreview.api.OpenReviewClient(baseurl=baseurl, token=token).post_note_edit(
        invitation="Keep.cc/-/Comment", signatures=[made["user"]],
        note=Note(content={"text": {"value": "written before SIGTERM"}}))
    second.stop(signal.SIGTERM)

    third = launch("sandbox", "serve", "--port", "0", "--db", str(db), "--root-password", OTHER_PASSWORD)
    baseurl = third.wait_ready()
    assert_world(baseurl, OTHER_PASSWORD, token, made)
    root = login_root(baseurl, OTHER_PASSWORD)
    assert root.get_note(later["note"]["id"]).content["text"]["value"] == "written before SIGTERM"
    assert {n.id for n in root.get_notes(invitation="Keep.cc/-/Comment")} == {made["note"], later["note"]["id"]}
    third.stop()
    for served in (first, second, third):
        assert_no_traceback(served.stdout, served.stderr)
        for password in (FLAG_PASSWORD, OTHER_PASSWORD, USER_PASSWORD):
            assert_not_leaked(password, served.stdout, served.stderr)


def users_table(db: Path) -> list[tuple]:
    """The users table as stored, row by row (logins, profile ids, password hashes)."""
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT * FROM users ORDER BY login").fetchall()


def test_a_restart_without_a_password_option_leaves_the_users_table_alone(launch: Launcher, tmp_path: Path,
                                                                          base_env: dict[str, str]) -> None:
    """The password is written when the database is created or when the operator chooses one, not on
    every start: without ``--root-password`` or the environment variable the stored one stands."""
    db = tmp_path / "users.db"
    first = launch("sandbox", "serve", "--port", "0", "--db", str(db), "--root-password", FLAG_PASSWORD)
    create_world(first.wait_ready(), FLAG_PASSWORD)
    first.stop()
    before = users_table(db)
    assert len(before) == 2

    second = launch("sandbox", "serve", "--port", "0", "--db", str(db))
    baseurl = second.wait_ready()
    assert login_root(baseurl, FLAG_PASSWORD).profile.id == "~Super_User1"
    assert_refused(baseurl, DEV_PASSWORD)
    second.stop()
    assert users_table(db) == before

    third = launch("sandbox", "serve", "--port", "0", "--db", str(db), "--root-password", OTHER_PASSWORD)
    baseurl = third.wait_ready()
    login_root(baseurl, OTHER_PASSWORD)
    assert_refused(baseurl, FLAG_PASSWORD)
    third.stop()
    changed = users_table(db)
    assert changed != before
    others = [row for row in before if row[0] != "openreview.net"]
    assert [row for row in changed if row[0] != "openreview.net"] == others  # only the super user's hash moved

    fourth = launch("sandbox", "serve", "--port", "0", "--db", str(db), env={**base_env, PASSWORD_ENV: ENV_PASSWORD})
    login_root(fourth.wait_ready(), ENV_PASSWORD)
    fourth.stop()
    assert users_table(db) != changed

    # choosing OpenReview's development password explicitly is a choice too: it is written
    fifth = launch("sandbox", "serve", "--port", "0", "--db", str(db), "--root-password", DEV_PASSWORD)
    login_root(fifth.wait_ready(), DEV_PASSWORD)
    fifth.stop()
    for served in (first, second, third, fourth, fifth):
        assert_no_traceback(served.stdout, served.stderr)


def test_a_new_db_without_a_password_option_gets_the_development_password(launch: Launcher, tmp_path: Path) -> None:
    db = tmp_path / "fresh.db"
    served = launch("sandbox", "serve", "--port", "0", "--db", str(db))
    login_root(served.wait_ready(), DEV_PASSWORD)
    served.stop()
    before = users_table(db)
    again = launch("sandbox", "serve", "--port", "0", "--db", str(db))
    login_root(again.wait_ready(), DEV_PASSWORD)
    again.stop()
    assert users_table(db) == before


def test_db_path_is_taken_literally(launch: Launcher, tmp_path: Path) -> None:
    """A file name may hold characters that mean something in a URI ('#', '?', '%')."""
    db = tmp_path / "venue #1 100%.db"
    served = launch("sandbox", "serve", "--port", "0", "--db", str(db), "--root-password", FLAG_PASSWORD)
    served.wait_ready()
    served.stop(signal.SIGTERM)
    assert_no_traceback(served.stdout, served.stderr)
    assert db.is_file(), sorted(p.name for p in tmp_path.iterdir())
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith(db.name)) == []


def test_memory_loses_everything_on_restart(launch: Launcher, tmp_path: Path) -> None:
    first = launch("sandbox", "serve", "--port", "0", "--memory", "--root-password", FLAG_PASSWORD)
    baseurl = first.wait_ready()
    assert "in memory" in first.stdout
    create_world(baseurl, FLAG_PASSWORD)
    first.stop()

    second = launch("sandbox", "serve", "--port", "0", "--memory", "--root-password", FLAG_PASSWORD)
    baseurl = second.wait_ready()
    root = login_root(baseurl, FLAG_PASSWORD)
    for lookup in (lambda: root.get_group("Keep.cc"), lambda: root.get_invitation("Keep.cc/-/Comment"),
                   lambda: root.get_group("keep@cli.example")):
        with pytest.raises(openreview.OpenReviewException) as missing:
            lookup()
        assert missing.value.args[0]["name"] == "NotFoundError"
    with pytest.raises(openreview.OpenReviewException) as refused:
        openreview.api.OpenReviewClient(baseurl=baseurl, username="keep@cli.example", password=USER_PASSWORD)
    assert "Invalid username or password" in str(refused.value)
    second.stop()
    # Nothing was written to disk: no default database appeared in the working directory.
    assert list(tmp_path.iterdir()) == []


def test_processes_run_unless_turned_off(launch: Launcher) -> None:
    """`serve` runs invitations' scripts by default; `--no-processes` turns them off, and says so."""
    on = launch("sandbox", "serve", "--port", "0", "--memory", "--root-password", FLAG_PASSWORD,
                "--process-timeout", "5")
    on.wait_ready()
    on.stop()
    assert "process functions: run" in on.stdout
    off = launch("sandbox", "serve", "--port", "0", "--memory", "--root-password", FLAG_PASSWORD, "--no-processes")
    off.wait_ready()
    off.stop()
    assert "process functions: off" in off.stdout
    for served in (on, off):
        assert_no_traceback(served.stdout, served.stderr)

"""Running ``venueops plan``/``apply`` against the session's sandbox server, as a user would.

Commands run in-process through click's runner (stdin is not a terminal there, as in CI), with the
credentials in the environment exactly as a user provides them; a few tests run the real executable
in a subprocess or a pseudo-terminal.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests
from click.testing import CliRunner

from tests.conftest import PASSWORD
from venueops.cli import cli

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples" / "venues"
GOLDEN = ROOT / "tests" / "golden" / "plan"
AT = "2026-01-15"  # plans in the goldens are made as of this date (before every deadline of the examples)


@dataclass
class Run:
    exit_code: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


Venueops = Callable[..., Run]


def credentials(baseurl: str, username: str = "openreview.net", password: str = PASSWORD) -> dict[str, str | None]:
    return {"OPENREVIEW_API_BASEURL_V2": baseurl, "OPENREVIEW_USERNAME": username, "OPENREVIEW_PASSWORD": password,
            "OPENREVIEW_TOKEN": None, "NO_COLOR": "1"}


@pytest.fixture
def venueops(baseurl: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Venueops:
    """``venueops(*args, env=...)``: run the CLI in ``tmp_path`` as the super user unless told otherwise."""
    monkeypatch.chdir(tmp_path)

    def run(*args: str, env: dict[str, str | None] | None = None, input: str | None = None) -> Run:
        runner = CliRunner()
        result = runner.invoke(cli, [str(a) for a in args], env=env if env is not None else credentials(baseurl),
                               input=input, catch_exceptions=False)
        return Run(result.exit_code, result.stdout, result.stderr)

    return run


@pytest.fixture
def venue_file(tmp_path: Path) -> Callable[..., Path]:
    """``venue_file("workshop", {old: new}, name=...)``: a copy of an example, edited by text replacement."""

    def make(example: str, replacements: dict[str, str] | None = None, name: str | None = None) -> Path:
        target = tmp_path / (name or f"{example}.yaml")
        text = (EXAMPLES / f"{example}.yaml").read_text()
        for old, new in (replacements or {}).items():
            assert old in text, f"{old!r} is not in {example}.yaml"
            text = text.replace(old, new)
        target.write_text(text)
        return target.relative_to(tmp_path)

    return make


class ServerRequests:
    """The sandbox's request counters (``/_sandbox/requests``)."""

    def __init__(self, baseurl: str) -> None:
        self.baseurl = baseurl

    def clear(self) -> None:
        requests.delete(f"{self.baseurl}/_sandbox/requests", timeout=10).raise_for_status()

    def count(self, route: str) -> int:
        answer = requests.get(f"{self.baseurl}/_sandbox/requests", timeout=10).json()
        return int(answer["byRoute"].get(route, 0))

    def edits(self) -> int:
        return self.count("POST /groups/edits") + self.count("POST /invitations/edits")


@pytest.fixture
def server_requests(baseurl: str) -> ServerRequests:
    return ServerRequests(baseurl)


def normalise(text: str, baseurl: str) -> str:
    """Output with the sandbox's random port replaced, for goldens."""
    return text.replace(baseurl, "http://sandbox.test")


def without_sandbox_paths(text: str) -> str:
    return re.sub(r"/tmp/\S+", "<tmp>", text)


def copy_example(example: str, directory: Path) -> Path:
    target = directory / f"{example}.yaml"
    shutil.copy(EXAMPLES / f"{example}.yaml", target)
    return target


def check_golden(name: str, text: str, baseurl: str, update: bool) -> None:
    """Compare ``text`` (with the port and plan id normalised) with ``tests/golden/plan/<name>``, or
    rewrite the golden with ``--update-golden``."""
    text = re.sub(r'"plan_id": "sha256:[0-9a-f]+"', '"plan_id": "sha256:<depends on the port>"',
                  normalise(text, baseurl))
    golden = GOLDEN / name
    if update:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(text)
    assert golden.exists(), f"no golden {name}: run pytest --update-golden"
    assert text == golden.read_text(), f"{name} differs from its golden; rerun with --update-golden if intended"

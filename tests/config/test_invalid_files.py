"""A table of invalid venue files: each gives exact messages at exact lines, exit status 1, no traceback.

Each ``invalid/NN-name.yaml`` has its expected ``venueops validate`` output beside it in
``NN-name.err`` (a golden file: ``pytest --update-golden`` rewrites them; review the diff).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from venueops.cli import cli

INVALID = Path(__file__).parent / "invalid"
CASES = sorted(p.name for p in INVALID.glob("*.yaml"))


def run_validate(name: str, monkeypatch: pytest.MonkeyPatch, directory: Path = INVALID) -> tuple[int, str, str]:
    monkeypatch.chdir(directory)
    result = CliRunner().invoke(cli, ["validate", name])
    return result.exit_code, result.stdout, result.stderr


def test_the_table_is_large_enough():
    assert len(CASES) >= 30


@pytest.mark.parametrize("name", CASES)
def test_invalid_file(name: str, monkeypatch: pytest.MonkeyPatch, update_golden: bool) -> None:
    code, stdout, stderr = run_validate(name, monkeypatch)
    assert code == 1, stdout + stderr
    assert "Traceback" not in stderr and "Error:" not in stderr, stderr
    assert stderr.strip(), "an invalid file must say why"
    for line in stderr.strip().splitlines():
        assert line.startswith(f"{name}:"), line
        location = line.split(": ", 1)[0].split(":")
        assert len(location) == 3 and location[1].isdigit() and location[2].isdigit(), line
    golden = INVALID / name.replace(".yaml", ".err")
    if update_golden:
        golden.write_text(stderr)
    assert stderr == golden.read_text(), f"output changed; rerun with --update-golden if intended:\n{stderr}"


def test_a_fifty_megabyte_file_is_refused_at_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    big = tmp_path / "big.yaml"
    with big.open("w") as handle:
        handle.write("venue:\n  name: x\n  instructions: |\n")
        line = "    " + "x" * 1000 + "\n"
        for _ in range(51 * 1024):
            handle.write(line)
    code, _, stderr = run_validate("big.yaml", monkeypatch, tmp_path)
    assert code == 1
    assert stderr == "big.yaml:1:1: error: the file is 50 MB; venue files are limited to 5 MB\n"


def test_a_missing_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    code, _, stderr = run_validate("nowhere.yaml", monkeypatch, tmp_path)
    assert code == 1
    assert stderr == "nowhere.yaml:1:1: error: cannot read the file: No such file or directory\n"

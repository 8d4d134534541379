"""The documentation site (mkdocs.yml, docs/): it builds in strict mode, its generated references and the pages
made from the README are current, and every command and option of the CLI is documented in it."""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path
from types import ModuleType

import click
import pytest

from venueops.cli import cli

ROOT = Path(__file__).resolve().parents[1]
CLI_PAGE = ROOT / "docs" / "reference" / "cli.md"


def _script(name: str) -> ModuleType:
    """A generator script of scripts/ (not a package), loaded as a module."""
    spec = importlib.util.spec_from_file_location(f"_docs_{name}", ROOT / "scripts" / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # registered, as an import would: dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def test_the_site_builds_in_strict_mode(tmp_path):
    """Any warning fails the build: a link to a missing page or anchor, a missing included file, a page left
    out of the nav, a nav entry whose file does not exist."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-f", str(ROOT / "mkdocs.yml"),
         "-d", str(tmp_path / "site")],
        capture_output=True, text=True, cwd=tmp_path, env=env, timeout=120,
    )
    warnings = [line for line in (result.stdout + result.stderr).splitlines() if "WARNING" in line or "Error" in line]
    assert result.returncode == 0, "mkdocs build --strict failed:\n" + "\n".join(warnings or [result.stderr])
    assert (tmp_path / "site" / "reference" / "cli" / "index.html").is_file()


def test_the_cli_reference_is_current():
    expected = _script("cli_reference").markdown()
    assert CLI_PAGE.read_text() == expected, (
        "docs/reference/cli.md is stale (a command or option changed): run python scripts/cli_reference.py"
    )


def test_the_venue_file_reference_pages_are_current():
    from venueops.config.reference import markdown

    update = _script("update_reference")
    reference = markdown()
    for path in update.EMBEDDING:
        text = path.read_text()
        assert update.embedded(text, reference) == text, (
            f"{path.relative_to(ROOT)}'s venue file reference is stale: run python scripts/update_reference.py"
        )


def test_the_pages_made_from_the_readme_are_current():
    """The tutorial, the how-to guides copied from the README, the venue file, sandbox and development pages
    are made from README.md's sections: a README change reaches the site only through the script."""
    update = _script("update_docs")
    pages = update.pages()
    assert pages, "scripts/update_docs.py makes no page"
    stale = [str(path.relative_to(ROOT)) for path, text in pages.items() if path.read_text() != text]
    assert not stale, (
        f"{', '.join(stale)} no longer match README.md (or the table that makes them): "
        "run python scripts/update_docs.py (edit README.md, not the pages)"
    )


def _commands() -> list[tuple[str, click.Command]]:
    found = []

    def walk(command: click.Command, path: str) -> None:
        found.append((path, command))
        if isinstance(command, click.Group):
            for name, sub in sorted(command.commands.items()):
                if not sub.hidden:
                    walk(sub, f"{path} {name}")

    walk(cli, "venueops")
    return found


COMMANDS = _commands()
OPTIONS = [
    (path, option)
    for path, command in COMMANDS
    for option in command.params
    if isinstance(option, click.Option) and not option.hidden
]


def _sections() -> dict[str, str]:
    """docs/reference/cli.md cut at its command headings: command path → that command's text."""
    parts = re.split(r"^#{2,4} `([^`]+)`$", CLI_PAGE.read_text(), flags=re.MULTILINE)
    return dict(zip(parts[1::2], parts[2::2], strict=True))


@pytest.mark.parametrize("path,command", COMMANDS, ids=[path for path, _ in COMMANDS])
def test_every_command_is_documented(path, command):
    assert (command.help or "").strip(), f"{path} has no help text"
    assert path in _sections(), f"{path} is missing from docs/reference/cli.md: run python scripts/cli_reference.py"


@pytest.mark.parametrize("path,option", OPTIONS, ids=[f"{path} {option.opts[-1]}" for path, option in OPTIONS])
def test_every_option_is_documented_with_a_help_text(path, option):
    assert (option.help or "").strip(), f"{path} {option.opts[-1]} has no help= text"
    section = _sections().get(path, "")
    flags = [*option.opts, *option.secondary_opts]
    entries = [line for line in section.splitlines() if line.startswith("- `") and all(f in line for f in flags)]
    assert entries, f"{path} {'/'.join(flags)} is missing from {CLI_PAGE.name}: run python scripts/cli_reference.py"
    assert any(entry.split("`: ", 1)[-1].strip() for entry in entries)


def test_the_license_file_is_the_license_pyproject_declares():
    license_text = (ROOT / "LICENSE").read_text()
    assert tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["license"] == {"text": "Apache-2.0"}
    assert license_text.split()[:4] == ["Apache", "License", "Version", "2.0,"]
    assert "END OF TERMS AND CONDITIONS" in license_text
    assert "Copyright 2026 The venueops authors" in license_text

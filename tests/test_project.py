"""Project-level checks: the README's commands are CI's commands, and the sandbox stays apart."""

from __future__ import annotations

import ast
import importlib.metadata
import json
import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def ci_commands() -> list[str]:
    lines = (ROOT / ".ci" / "run").read_text().splitlines()
    # the commands, less comments and the environment set up around them (shell options, the browser)
    return [line for line in lines if line.strip() and not line.startswith(("#", "set ", "cd ", "if "))]


def test_ci_runs_exactly_the_readme_quickstart_commands():
    readme = (ROOT / "README.md").read_text()
    quickstart = readme.split("## Quickstart", 1)[1].split("\n## ", 1)[0]
    commands = ci_commands()
    assert len(commands) == 3, commands
    install, test, peer = commands
    assert install in quickstart
    assert test in quickstart
    assert test.startswith("python -m pytest")
    assert peer == "python .ci/peer.py"


def test_the_peer_baseline_names_each_peer_file_once_with_a_count():
    """The baseline ``.ci/peer.py`` holds the peer suite to: one whole, non-negative count per file."""
    baseline = json.loads((ROOT / "tests" / "peer_baseline.json").read_text())
    assert baseline and all(re.fullmatch(r"test_\w+\.py", name) for name in baseline)
    assert all(isinstance(count, int) and count >= 0 for count in baseline.values())
    peer = ROOT.parent / "shared" / "peer" / "openreview-py" / "tests"
    if peer.is_dir():
        assert set(baseline) == {p.name for p in peer.glob("test_*.py")}


def test_the_sandbox_imports_nothing_from_the_tool():
    sandbox = ROOT / "venueops" / "sandbox"
    for path in sandbox.rglob("*.py"):
        tree = ast.parse(path.read_text(), filename=str(path))
        for node in ast.walk(tree):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            for name in names:
                if name.startswith("venueops"):
                    assert name.startswith("venueops.sandbox"), f"{path.name} imports {name}"


def test_the_tool_imports_the_sandbox_only_lazily():
    """Only the CLI may import the sandbox, and only inside a function (so `validate` never loads it)."""
    for path in (ROOT / "venueops").rglob("*.py"):
        if "sandbox" in path.parts:
            continue
        tree = ast.parse(path.read_text(), filename=str(path))
        for node in tree.body:
            if isinstance(node, ast.ImportFrom) and node.module:
                assert not node.module.startswith("venueops.sandbox"), f"{path.name} imports the sandbox at import time"


def test_the_readme_reference_of_the_venue_file_is_current():
    from venueops.config.reference import BEGIN, END, markdown

    readme = (ROOT / "README.md").read_text()
    embedded = readme[readme.index(BEGIN): readme.index(END) + len(END)]
    assert embedded == markdown(), "README.md's venue file reference is stale: run python scripts/update_reference.py"


def _imported_top_level(package: Path) -> set[str]:
    found: set[str] = set()
    for path in package.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if isinstance(node, ast.Import):
                found |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                found.add(node.module.split(".")[0])
    return found


def _requirement_names(requirements: list[str]) -> set[str]:
    return {re.split(r"[<>=!~;\[ ]", requirement, maxsplit=1)[0].lower() for requirement in requirements}


def test_what_venueops_needs_at_run_time_is_installed_without_the_test_extra():
    """A plain ``pip install venueops`` must be enough to plan and apply: every third-party module the
    package imports, and openreview-py (whose scripts and pages compiled venues name), is a runtime
    dependency, not only a test one."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    runtime = _requirement_names(project["dependencies"])
    distributions = importlib.metadata.packages_distributions()
    needed = {"openreview-py"}
    for module in _imported_top_level(ROOT / "venueops") - set(sys.stdlib_module_names) - {"venueops"}:
        needed |= {name.lower() for name in distributions.get(module, [module])}
    assert needed <= runtime, f"imported at run time but not in [project.dependencies]: {sorted(needed - runtime)}"

"""Hostile venue files: each is refused with a located error, quickly and in little memory.

Every case runs the real command line in a child process (``python -m venueops``) under an address
space cap (a safety net: a regression fails with MemoryError instead of taking the machine down), and
the test reads the child's own wall time and peak resident memory (``os.wait4``). The figures asked
of every case: a ``file:line:col`` error, exit status 1, under 2 s and under 200 MB.
"""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

EXAMPLE = Path(__file__).parents[2] / "examples" / "venues" / "workshop.yaml"
MAX_SECONDS = 2.0
MAX_RSS_MB = 200
ADDRESS_SPACE_CAP = 2 * 1024**3


@dataclass(frozen=True)
class Run:
    code: int
    stdout: str
    stderr: str
    seconds: float
    rss_mb: float


# The child is measured by a small launcher process of its own, not by this one: on Linux a child
# starts with its parent's peak resident memory as its own (``fork`` copies the address space, and
# ``exec`` keeps the peak), so a child forked from a large pytest process would report pytest's size.
# The launcher is exec'ed fresh and small; the CLI it forks starts from the launcher's few megabytes.
LAUNCHER = """
import json, os, resource, sys, time
report, cap, command = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
start = time.monotonic()
pid = os.fork()
if pid == 0:
    resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    os.execv(command[0], command)
_, status, usage = os.wait4(pid, 0)
with open(report, "w") as out:
    json.dump({"code": os.waitstatus_to_exitcode(status), "seconds": time.monotonic() - start,
               "rss_kb": usage.ru_maxrss}, out)
"""


def run_cli(*args: str, cwd: Path) -> Run:
    """``python -m venueops ARGS`` in a child process, with its own wall time and peak memory."""
    out, err, report = cwd / ".stdout", cwd / ".stderr", cwd / ".usage.json"
    with out.open("wb") as stdout, err.open("wb") as stderr:
        subprocess.run([sys.executable, "-c", LAUNCHER, str(report), str(ADDRESS_SPACE_CAP), sys.executable, "-m",
                        "venueops", *args], cwd=cwd, stdout=stdout, stderr=stderr, stdin=subprocess.DEVNULL,
                       check=True, timeout=120)
    usage = json.loads(report.read_text())
    return Run(usage["code"], out.read_text(), err.read_text(), usage["seconds"], usage["rss_kb"] / 1024)


def venue_with(name_template: str) -> str:
    """The example workshop with its ``venue.name`` replaced by a (hostile) template."""
    text = EXAMPLE.read_text()
    quoted = name_template.replace("\\", "\\\\").replace('"', '\\"')
    return text.replace("name: Workshop on Declarative Review", f'name: "{quoted}"', 1)


NAME_LINE = 6  # where venue.name stands in the example


def alias_bomb(levels: int = 9, width: int = 9, kind: str = "list") -> str:
    lines = [f"l0: &l0 {'[' + ', '.join(['lol'] * width) + ']' if kind == 'list' else 'lol'}"]
    if kind == "string":
        lines = ["l0: &l0 " + "x" * 1000]
    for level in range(1, levels + 1):
        refs = ", ".join([f"*l{level - 1}"] * width)
        if kind == "mapping":
            refs = ", ".join(f"k{i}: *l{level - 1}" for i in range(width))
            lines.append(f"l{level}: &l{level} {{{refs}}}")
        else:
            lines.append(f"l{level}: &l{level} [{refs}]")
    return "\n".join(lines) + "\n" + EXAMPLE.read_text()


CASES: dict[str, tuple[str, int, str]] = {
    # name: (file text, expected line, expected words in the message)
    "alias bomb of lists": (alias_bomb(), 6, "more than 100,000 values once the alias *l4"),
    "alias bomb of mappings": (alias_bomb(kind="mapping"), 6, "more than 100,000 values once the alias"),
    "alias bomb of long strings": (alias_bomb(levels=5, width=20, kind="string"), 5,
                                   "characters of text once the alias"),
    "wide alias fan-out": ("a: &a [" + ", ".join(["x"] * 2000) + "]\nb: [" + ", ".join(["*a"] * 100) + "]\n"
                           + EXAMPLE.read_text(), 2, "more than 100,000 values once the alias *a"),
    "recursive alias": ("loop: &loop [1, *loop]\n" + EXAMPLE.read_text(), 1, "recursive alias"),
    "deep flow nesting": ("deep: " + "[" * 500 + "]" * 500 + "\n" + EXAMPLE.read_text(), 1,
                          "nested more than 64 levels"),
    "deep block nesting": ("".join("  " * i + f"k{i}:\n" for i in range(100)) + "  " * 100 + "x: 1\n"
                           + EXAMPLE.read_text(), 64, "nested more than 64 levels"),
    "huge power": (venue_with("{{ 9 ** 99999999 }}"), NAME_LINE, "does not fit 64 bits"),
    "huge power of a float": (venue_with("{{ 10.0 ** 99999 }}"), NAME_LINE, "too large"),
    "huge string repetition": (venue_with("{{ 'x' * 400000000 }}"), NAME_LINE, "longer than 1,000,000"),
    "huge list repetition": (venue_with("{{ [0] * 400000000 }}"), NAME_LINE, "longer than 1,000,000"),
    "repetition by concatenation": (venue_with("{{ ('x' * 999999) ~ ('x' * 999999) ~ ('x' * 999999) }}"),
                                    NAME_LINE, "longer than 1,000,000"),
    "replace explosion": (venue_with("{{ ('x' * 100000) | replace('', 'y' * 100000) }}"), NAME_LINE,
                          "longer than 1,000,000"),
    "format width": (venue_with("{{ '%999999999d' % 1 }}"), NAME_LINE, "width or precision"),
    "str.format width": (venue_with("{{ '{:>999999999}'.format(1) }}"), NAME_LINE, "unsafe"),
    "range overflow": (venue_with("{{ range(99999999999) | list }}"), NAME_LINE, "more than 50,000 numbers"),
    "long nested loops": (venue_with("{% for i in range(40000) %}{% for j in range(40000) %}"
                                     "{% endfor %}{% endfor %}"), NAME_LINE, "loop more than 50,000 times"),
    "loops over strings": (venue_with("{% for a in 'x' * 900000 %}{% for b in 'x' * 900000 %}"
                                      "{% endfor %}{% endfor %}"), NAME_LINE, "loop more than 50,000 times"),
    "exponential macro": (venue_with("{% macro d(n) %}{% if n %}{{ d(n-1) }}{{ d(n-1) }}{% else %}x{% endif %}"
                                     "{% endmacro %}{{ d(60) }}"), NAME_LINE, "more than 100,000 operations"),
    "endless recursion": (venue_with("{% macro r() %}{{ r() }}{% endmacro %}{{ r() }}"), NAME_LINE,
                          "recurses too deeply"),
    "deep template nesting": (venue_with("{{ " + "(" * 300 + "1" + ")" * 300 + " }}"), NAME_LINE,
                              "nested more than 50 levels"),
    "large output": (venue_with("{% for i in range(20000) %}{{ 'x' * 100 }}{% endfor %}"), NAME_LINE,
                     "renders to more than 1,000,000 characters"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_hostile_file_is_refused_quickly_and_in_little_memory(case: str, tmp_path: Path) -> None:
    text, line, words = CASES[case]
    (tmp_path / "venue.yaml").write_text(text)
    run = run_cli("validate", "venue.yaml", cwd=tmp_path)
    assert run.code == 1, run.stdout + run.stderr
    assert "Traceback" not in run.stderr
    first = run.stderr.splitlines()[0]
    assert first.startswith(f"venue.yaml:{line}:"), first
    assert words in first, first
    assert run.seconds < MAX_SECONDS, f"{case}: {run.seconds:.2f} s"
    assert run.rss_mb < MAX_RSS_MB, f"{case}: {run.rss_mb:.0f} MB"


@pytest.mark.parametrize("command", [["plan", "--sandbox"], ["apply", "--sandbox", "--auto-approve"]])
def test_plan_and_apply_refuse_an_alias_bomb_before_starting_anything(command: list[str], tmp_path: Path) -> None:
    (tmp_path / "venue.yaml").write_text(alias_bomb())
    run = run_cli(command[0], "venue.yaml", *command[1:], "--sandbox-db", "sb.db", cwd=tmp_path)
    assert run.code == 1, run.stdout + run.stderr
    assert "more than 100,000 values" in run.stderr
    assert run.seconds < MAX_SECONDS and run.rss_mb < MAX_RSS_MB
    assert not (tmp_path / "sb.db").exists(), "the sandbox was started for a file that cannot be read"


def test_an_ordinary_file_stays_well_inside_the_limits(tmp_path: Path) -> None:
    """The limits leave room: anchors and aliases, loops, filters and arithmetic of a realistic size."""
    members = ", ".join(f"reviewer{i}@drw.example" for i in range(5000))
    text = EXAMPLE.read_text().replace(
        "name: Workshop on Declarative Review",
        "name: \"{% for w in ['workshop', 'on', 'declarative', 'review'] %}{{ w | capitalize if w != 'on' else w }}"
        "{{ ' ' if not loop.last }}{% endfor %}\"", 1)
    text = text.replace("reviewers: {anonymous: true}",
                        f"reviewers: {{anonymous: true, members: &everybody [{members}]}}\n"
                        "  area_chairs: {members: *everybody}")
    text = text.replace("date: June 12, 2026", "date: \"June {{ 3 * 4 }}, {{ 2025 + 1 }}\"")
    (tmp_path / "venue.yaml").write_text(text)
    run = run_cli("render", "venue.yaml", cwd=tmp_path)
    assert run.code == 0, run.stderr
    assert '"Workshop on Declarative Review"' in run.stdout and '"June 12, 2026"' in run.stdout
    assert run.seconds < MAX_SECONDS and run.rss_mb < MAX_RSS_MB

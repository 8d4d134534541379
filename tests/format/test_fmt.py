"""``venueops fmt``: the canonical layout, comments kept, meaning never changed, and ``--check`` for CI."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from venueops.cli import cli
from venueops.config.dates import parse_date
from venueops.config.validate import load_venue_text
from venueops.errors import ConfigError
from venueops.format import formatter
from venueops.format.dates import canonical
from venueops.format.document import indent
from venueops.format.formatter import format_text

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "examples" / "venues").glob("**/*.yaml"))

# The workshop example, written by hand without care: keys out of order, 4-space indentation, dates
# spelled several ways, comments everywhere.
UNFORMATTED = """\
# yaml-language-server: $schema=../../schemas/venue.schema.json
#
# A small double-blind workshop.
roles:
    reviewers: {anonymous: true}
    program_chairs: [~Pat_Chair1, chair@drw.example]   # who runs it

venue:
    name: Workshop on Declarative Review
    id: DRW.cc/2026/Workshop
    # the zone of every date below
    timezone: AoE

stages:
    submission:
        readers_after_due: [reviewers_assigned]
        double_blind: true
        due: 2026-03-01T23:59     # the deadline
        # opens on a Sunday
        start: 2026-02-01
        form:
            add:
                code: {type: string, optional: true, order: 9}
            remove: [TLDR]
        # end of the submission stage

    review:
        due: 2026-04-10 23:59 aoe
        start: 2026-03-10T9:00
        release_to_authors: after_due

    decision:
        options: [Reject, Accept (Poster), Accept (Oral)]
        start: 2026-05-01
        due: "2026-05-08"
"""

FORMATTED = """\
# yaml-language-server: $schema=../../schemas/venue.schema.json
#
# A small double-blind workshop.
venue:
  id: DRW.cc/2026/Workshop
  name: Workshop on Declarative Review
  # the zone of every date below
  timezone: AoE

roles:
  program_chairs: [~Pat_Chair1, chair@drw.example]     # who runs it
  reviewers: {anonymous: true}

stages:
  submission:
    # opens on a Sunday
    start: 2026-02-01
    due: 2026-03-01 23:59         # the deadline
    double_blind: true
    readers_after_due: [reviewers_assigned]
    form:
      remove: [TLDR]
      add:
        code: {type: string, optional: true, order: 9}
    # end of the submission stage

  review:
    start: 2026-03-10 09:00
    due: 2026-04-10 23:59 AoE
    release_to_authors: after_due

  decision:
    start: 2026-05-01
    due: "2026-05-08"
    options: [Reject, Accept (Poster), Accept (Oral)]
"""


def test_the_canonical_layout() -> None:
    assert format_text(UNFORMATTED) == FORMATTED


@pytest.mark.parametrize("text", [UNFORMATTED, FORMATTED, FORMATTED.replace("\n  ", "\n   ")])
def test_idempotent(text: str) -> None:
    once = format_text(text)
    assert format_text(once) == once


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: str(p.relative_to(ROOT / "examples" / "venues")))
def test_every_example_is_formatted(example: Path) -> None:
    text = example.read_text()
    assert format_text(text, str(example)) == text, f"run `venueops fmt {example.relative_to(ROOT)}`"


def test_the_meaning_is_kept() -> None:
    old, new = load_venue_text(UNFORMATTED).spec, load_venue_text(FORMATTED).spec
    assert old.roles == new.roles and old.stages.decision.options == new.stages.decision.options
    for stage in ("submission", "review", "decision"):
        for field in ("start", "due"):
            for end in (False, True):
                before = parse_date(getattr(getattr(old.stages, stage), field), "AoE", end_of_day=end)
                after = parse_date(getattr(getattr(new.stages, stage), field), "AoE", end_of_day=end)
                assert before.ms == after.ms


def test_comments_are_kept_with_what_they_describe() -> None:
    out = format_text(UNFORMATTED)
    for comment in ("# yaml-language-server", "# A small double-blind workshop.", "# the zone of every date below",
                    "# who runs it", "# the deadline", "# opens on a Sunday", "# end of the submission stage"):
        assert out.count(comment) == 1, comment
    lines = out.splitlines()
    assert lines[lines.index("  # the zone of every date below") + 1] == "  timezone: AoE"
    assert lines[lines.index("    # opens on a Sunday") + 1] == "    start: 2026-02-01"
    assert "due: 2026-03-01 23:59         # the deadline" in out  # an end-of-line comment keeps its line, its column


def test_a_list_item_keeps_its_dash_when_its_keys_move() -> None:
    text = ("venue: {id: A.cc/2026/W, name: A}\nroles: {program_chairs: [~A_B1]}\nstages:\n"
            "  submission: {start: 2026-01-01, due: 2026-02-01}\n  bidding:\n"
            "    - request_count: 10\n      # who bids\n      committee: reviewers\n      start: 2026-02-02\n"
            "    - {request_count: 5, start: 2026-02-02, committee: area_chairs}\n")
    out = format_text(text)
    assert ("  bidding:\n    # who bids\n    - committee: reviewers\n      start: 2026-02-02\n      request_count: 10\n"
            "    - {committee: area_chairs, start: 2026-02-02, request_count: 5}\n") in out
    assert format_text(out) == out


def test_free_form_parts_and_lists_keep_the_users_order() -> None:
    text = FORMATTED + ("groups:\n  - signatures: [DRW.cc/2026/Workshop]\n    id: DRW.cc/2026/Workshop/Extra\n"
                        "    readers: [everyone, DRW.cc/2026/Workshop]\n")
    assert format_text(text) == text


def test_a_key_the_models_do_not_know_stays_after_its_neighbour() -> None:
    text = FORMATTED.replace("  name: Workshop", "  nmae: typo\n  name: Workshop")
    out = format_text(text)
    assert "  id: DRW.cc/2026/Workshop\n  name: Workshop on Declarative Review\n" in format_text(FORMATTED)
    assert "  id: DRW.cc/2026/Workshop\n  nmae: typo\n  name: Workshop" in out


def test_a_mapping_holding_anchors_keeps_its_order() -> None:
    text = FORMATTED.replace("    start: 2026-03-10 09:00\n    due: 2026-04-10 23:59 AoE\n",
                             "    due: &due 2026-04-10 23:59 AoE\n    start: 2026-03-10 09:00\n") + \
        "  comments: {start: 2026-03-10, end: *due}\n"
    assert format_text(text) == text


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("2026-03-01", "2026-03-01"),
        ("2026-03-01 23:59", "2026-03-01 23:59"),
        ("2026-03-01T23:59", "2026-03-01 23:59"),
        ("2026-03-01T9:05", "2026-03-01 09:05"),
        ("2026-03-01 23:59:30", "2026-03-01 23:59:30"),
        ("2026-03-01 23:59:30.5", "2026-03-01 23:59:30.500"),
        ("2026-03-01 23:59 aoe", "2026-03-01 23:59 AoE"),
        ("2026-03-01 23:59Z", "2026-03-01 23:59 UTC"),
        ("2026-03-01T23:59:00+0200", "2026-03-01 23:59:00 +02:00"),
        ("2026-03-01 AoE", "2026-03-01 AoE"),
        ("2026-03-01 23:59 Europe/Paris", "2026-03-01 23:59 Europe/Paris"),
        ("March 1", None),
    ],
)
def test_dates_in_canonical_form_mean_the_same_moment(written: str, expected: str | None) -> None:
    assert canonical(written) == expected
    if expected is not None:
        for end in (False, True):
            assert parse_date(written, "AoE", end_of_day=end).ms == parse_date(expected, "AoE", end_of_day=end).ms


def test_a_file_indented_otherwise_is_re_indented_comments_too() -> None:
    formatted = re.sub(r" +# (who runs it|the deadline)", "", FORMATTED)  # (end-of-line comments keep their column)
    text = "".join(" " * (2 * indent(line)) + line.lstrip(" ") for line in formatted.splitlines(keepends=True))
    assert text != formatted
    assert format_text(text) == formatted


def test_a_file_that_is_not_a_venue_on_its_own_is_formatted() -> None:
    base = "stages:\n  review:\n    due: 2026-04-10T23:59\n    start: 2026-03-10\nvenue:\n  name: A base\n"
    assert format_text(base) == ("venue:\n  name: A base\n"
                                 "stages:\n  review:\n    start: 2026-03-10\n    due: 2026-04-10 23:59\n")


def test_fmt_refuses_to_change_what_a_file_means(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(formatter, "normalize_dates", lambda text, name: text.replace("2026-05-01", "2026-05-02"))
    with pytest.raises(ConfigError, match=r"would change what this file means.*stages\.decision\.start"):
        format_text(FORMATTED)


# -- the command ---------------------------------------------------------------------------------
@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    unformatted, formatted = tmp_path / "unformatted.yaml", tmp_path / "formatted.yaml"
    unformatted.write_text(UNFORMATTED)
    formatted.write_text(FORMATTED)
    return unformatted, formatted


def test_check_fails_on_an_unformatted_file_with_a_diff(files: tuple[Path, Path]) -> None:
    unformatted, formatted = files
    result = CliRunner().invoke(cli, ["fmt", "--check", str(unformatted), str(formatted)])
    assert result.exit_code == 1
    assert f"--- {unformatted} (as written)\n+++ {unformatted} (formatted)\n" in result.stdout
    assert "-        due: 2026-03-01T23:59     # the deadline\n" in result.stdout
    assert "+    due: 2026-03-01 23:59         # the deadline\n" in result.stdout
    assert str(formatted) not in result.stdout
    assert f"would reformat {unformatted}" in result.stderr
    assert unformatted.read_text() == UNFORMATTED  # nothing written


def test_check_passes_on_formatted_files(files: tuple[Path, Path]) -> None:
    result = CliRunner().invoke(cli, ["fmt", "--check", str(files[1])])
    assert result.exit_code == 0, result.output
    assert result.stdout == ""


def test_fmt_rewrites_only_what_changes(files: tuple[Path, Path]) -> None:
    unformatted, formatted = files
    before = formatted.stat().st_mtime_ns
    result = CliRunner().invoke(cli, ["fmt", str(unformatted.parent)])
    assert result.exit_code == 0, result.output
    assert result.stdout == f"reformatted {unformatted}\n"
    assert unformatted.read_text() == FORMATTED
    assert formatted.stat().st_mtime_ns == before


def test_invalid_yaml_is_an_error_at_its_line_and_nothing_is_written(files: tuple[Path, Path], tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("venue:\n  id: A.cc/2026/W\n  name: [unclosed\nroles: {}\n")
    result = CliRunner().invoke(cli, ["fmt", str(files[0]), str(broken)])
    assert result.exit_code == 1
    assert f"{broken}:4:" in result.stderr and "invalid YAML" in result.stderr
    assert files[0].read_text() == UNFORMATTED


def test_a_comment_fmt_cannot_keep_is_an_error_not_a_loss() -> None:
    text = FORMATTED.replace("  reviewers: {anonymous: true}",
                             "  reviewers: {anonymous: true,  # signed? no\n    name: R}")
    with pytest.raises(ConfigError, match=r"<string>:12:1: error: fmt cannot keep the comment '# signed\? no'"):
        format_text(text)


def test_null_is_written_out() -> None:
    text = FORMATTED.replace("  reviewers: {anonymous: true}", "  reviewers:\n  area_chairs: ~")
    assert "  area_chairs: null\n  reviewers: null\n" in format_text(text)  # (committees top down)

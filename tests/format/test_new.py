"""``venueops new``: next year's edition, dates moved by whole weeks (or the calendar), ids replaced,
free-text dates reported, comments kept, and a result that validates."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from venueops.cli import cli
from venueops.config.dates import parse_date
from venueops.config.validate import load_venue_text
from venueops.errors import VenueOpsError
from venueops.format.series import Shift, new_edition
from venueops.format.shapes import ROOT, Shape, child, mapping_shape

ROOT_DIR = Path(__file__).resolve().parents[2]
CONFERENCE = ROOT_DIR / "examples" / "venues" / "conference.yaml"
NEW_ID = "ICDR.cc/2028/Conference"
DAY_MS = 24 * 3600 * 1000


def date_fields(spec: Any) -> dict[tuple[str | int, ...], str]:
    """Every date field of a validated venue, by path."""
    found: dict[tuple[str | int, ...], str] = {}

    def walk(data: Any, shape: Shape | None, path: tuple[str | int, ...]) -> None:
        if isinstance(data, dict):
            shape = mapping_shape(shape, data)
            for key, value in data.items():
                walk(value, child(shape, key), (*path, key))
        elif isinstance(data, list | tuple):
            for index, value in enumerate(data):
                walk(value, child(shape, index), (*path, index))
        elif shape is not None and shape.date and data is not None:
            found[path] = data

    walk(spec.model_dump(by_alias=True), ROOT, ())
    return found


def wall_day(written: str) -> dt.date:
    return dt.date.fromisoformat(written[:10])


@pytest.fixture(scope="module")
def conference() -> str:
    return CONFERENCE.read_text()


def test_every_date_moves_by_52_weeks_keeping_its_weekday(conference: str) -> None:
    edition = new_edition(conference, str(CONFERENCE), NEW_ID, Shift.parse("1y"))
    old, new = load_venue_text(conference).spec, load_venue_text(edition.text).spec
    before, after = date_fields(old), date_fields(new)
    assert len(before) == 19 and before.keys() == after.keys()
    for path, written in before.items():
        for end in (False, True):
            moved = parse_date(after[path], "AoE", end_of_day=end).ms - parse_date(written, "AoE", end_of_day=end).ms
            assert moved == 364 * DAY_MS, path
        assert wall_day(after[path]).weekday() == wall_day(written).weekday(), path
    assert edition.days == 364 and len(edition.moved) == 19


def test_exact_moves_by_a_calendar_year(conference: str) -> None:
    edition = new_edition(conference, str(CONFERENCE), NEW_ID, Shift.parse("1y"), exact=True)
    before = date_fields(load_venue_text(conference).spec)
    after = date_fields(load_venue_text(edition.text).spec)
    for path, written in before.items():
        day = wall_day(written)
        assert after[path] == day.replace(year=day.year + 1).isoformat() + written[10:], path
    assert edition.days is None


def test_the_result_validates_with_the_new_id(conference: str) -> None:
    edition = new_edition(conference, str(CONFERENCE), NEW_ID, Shift.parse("1y"))
    spec = load_venue_text(edition.text).spec
    assert spec.venue.id == NEW_ID and edition.old_id == "ICDR.cc/2027/Conference"
    assert "ICDR.cc/2027/Conference" not in edition.text


def test_free_text_dates_are_reported_by_path_and_left_as_written(conference: str) -> None:
    edition = new_edition(conference, str(CONFERENCE), NEW_ID, Shift.parse("1y"))
    assert [(p.path, p.line, p.value) for p in edition.unshifted] == [
        ("venue.short_name", 9, "ICDR 2027"), ("venue.start_date", 13, "May 3 2027"),
        ("venue.date", 14, "May 3-7, 2027")]
    assert "short_name: ICDR 2027\n" in edition.text and "date: May 3-7, 2027\n" in edition.text
    summary = "\n".join(edition.summary())
    assert "venue.date (line 14): May 3-7, 2027" in summary and "52 weeks (364 days)" in summary


def test_only_dates_and_the_id_change_comments_kept(conference: str) -> None:
    edition = new_edition(conference, str(CONFERENCE), NEW_ID, Shift.parse("1y"))
    old_lines, new_lines = conference.splitlines(), edition.text.splitlines()
    assert len(old_lines) == len(new_lines)
    changed = [(a, b) for a, b in zip(old_lines, new_lines, strict=True) if a != b]
    assert len(changed) == 20  # 19 dates and the id
    for old, new in changed:
        assert old.split(":")[0] == new.split(":")[0]  # the same key, its value changed
    assert [line for line in old_lines if line.lstrip().startswith("#")] == \
        [line for line in new_lines if line.lstrip().startswith("#")]


def test_ids_the_file_writes_literally_are_replaced(conference: str) -> None:
    text = conference + (
        "\ngroups:\n"
        "  - id: ICDR.cc/2027/Conference/Publicity_Chairs   # the publicity chairs\n"
        "    readers: [ICDR.cc/2027/Conference, \"ICDR.cc/2027/Conference/Publicity_Chairs\",\n"
        "              ICDR.cc/2027/Conference2]\n"
        "    writers: [ICDR.cc/2027/Conference]\n"
        "    signatures: [ICDR.cc/2027/Conference]\n"
        "    signatories: [ICDR.cc/2027/Conference]\n"
        "    web: 'See https://openreview.net/group?id=ICDR.cc/2027/Conference'\n"
        "overrides:\n"
        "  - object: ICDR.cc/2027/Conference/-/Decision\n"
        "    set: {duedate: 1800000000000}\n")
    edition = new_edition(text, "conference.yaml", NEW_ID, Shift.parse("1y"))
    assert "  - id: ICDR.cc/2028/Conference/Publicity_Chairs   # the publicity chairs\n" in edition.text
    assert ('readers: [ICDR.cc/2028/Conference, "ICDR.cc/2028/Conference/Publicity_Chairs",\n'
            "              ICDR.cc/2027/Conference2]") in edition.text  # another venue's id is left alone
    assert "group?id=ICDR.cc/2028/Conference'" in edition.text
    assert "object: ICDR.cc/2028/Conference/-/Decision" in edition.text
    assert {p.path for p in edition.renamed} >= {"groups[0].id", "groups[0].readers[0]", "overrides[0].object"}
    unshifted = {p.path: p.note for p in edition.unshifted}
    assert unshifted["overrides[0].set.duedate"] == "epoch milliseconds in OpenReview's JSON"
    assert "groups[0].readers[2]" in unshifted  # ICDR.cc/2027/Conference2: a year in free text
    load_venue_text(edition.text)


@pytest.mark.parametrize(("shift", "days"), [("1y", 364), ("6m", 182), ("2w", 14), ("10d", 7), ("-1y", -364)])
def test_shifts_round_to_whole_weeks(conference: str, shift: str, days: int) -> None:
    edition = new_edition(conference, str(CONFERENCE), NEW_ID, Shift.parse(shift))
    assert edition.days == days
    assert load_venue_text(edition.text).spec.stages.submission.start == \
        (dt.date(2026, 9, 1) + dt.timedelta(days=days)).isoformat()


def test_a_shift_nearer_to_no_week_needs_exact(conference: str) -> None:
    with pytest.raises(VenueOpsError, match="--exact"):
        new_edition(conference, str(CONFERENCE), NEW_ID, Shift.parse("3d"))
    exact = new_edition(conference, str(CONFERENCE), NEW_ID, Shift.parse("3d"), exact=True)
    assert load_venue_text(exact.text).spec.stages.submission.start == "2026-09-04"


def test_calendar_shifts_clamp_to_the_month() -> None:
    assert Shift.parse("1m").on_calendar(dt.date(2026, 1, 31)) == dt.date(2026, 2, 28)
    assert Shift.parse("1y").on_calendar(dt.date(2028, 2, 29)) == dt.date(2029, 2, 28)
    assert Shift.parse("-6m").on_calendar(dt.date(2026, 3, 1)) == dt.date(2025, 9, 1)
    with pytest.raises(ValueError, match="1y, 6m, 2w or 10d"):
        Shift.parse("next year")


# -- the command ---------------------------------------------------------------------------------
def test_new_writes_to_standard_output_and_reports_on_standard_error() -> None:
    result = CliRunner().invoke(cli, ["new", "--from", str(CONFERENCE), "--id", NEW_ID, "--shift-dates", "1y"])
    assert result.exit_code == 0, result.output
    assert load_venue_text(result.stdout).spec.venue.id == NEW_ID
    assert "venue.start_date (line 13): May 3 2027" in result.stderr
    assert "venue.id: ICDR.cc/2027/Conference -> ICDR.cc/2028/Conference" in result.stderr


def test_new_refuses_to_overwrite_without_force(tmp_path: Path) -> None:
    out = tmp_path / "ICDR-2028.yaml"
    arguments = ["new", "--from", str(CONFERENCE), "--id", NEW_ID, "--shift-dates", "1y", "-o", str(out)]
    assert CliRunner().invoke(cli, arguments).exit_code == 0
    written = out.read_text()
    out.write_text("mine\n")
    refused = CliRunner().invoke(cli, arguments)
    assert refused.exit_code == 2 and "--force" in refused.stderr and out.read_text() == "mine\n"
    assert CliRunner().invoke(cli, [*arguments, "--force"]).exit_code == 0
    assert out.read_text() == written


def test_new_rejects_a_bad_shift_and_a_bad_id() -> None:
    bad_shift = CliRunner().invoke(cli, ["new", "--from", str(CONFERENCE), "--id", NEW_ID, "--shift-dates", "soon"])
    assert bad_shift.exit_code == 2 and "--shift-dates" in bad_shift.stderr
    bad_id = CliRunner().invoke(cli, ["new", "--from", str(CONFERENCE), "--id", "not an id", "--shift-dates", "1y"])
    assert bad_id.exit_code == 2 and "not a venue id" in bad_id.stderr

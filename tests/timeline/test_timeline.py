"""The timeline picture of every example (valid SVG and PNG that show every stage) and the Mermaid gantt
of markdown plans."""

from __future__ import annotations

import struct
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner

from venueops.cli import cli
from venueops.config.validate import load_venue
from venueops.timeline import timeline
from venueops.timeline.mermaid import gantt

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "venues"
NAMES = ["workshop", "conference", "open-review"]


def draw(example: str, out: Path) -> None:
    run = CliRunner().invoke(cli, ["timeline", str(EXAMPLES / f"{example}.yaml"), "-o", str(out), "--at",
                                   "2026-04-01"])
    assert run.exit_code == 0, run.output
    assert run.stdout == f"Wrote {out}\n"


@pytest.mark.parametrize("example", NAMES)
def test_every_example_is_drawn_with_every_stage(example: str, tmp_path: Path) -> None:
    labels = [bar.label for bar in timeline(load_venue(EXAMPLES / f"{example}.yaml")).bars]
    assert len(labels) >= 3
    draw(example, tmp_path / "t.svg")
    svg = (tmp_path / "t.svg").read_text()
    root = ET.fromstring(svg)  # well-formed XML
    assert root.tag.endswith("svg")
    texts = " ".join(t.text or "" for t in root.iter() if t.tag.endswith("text"))
    for label in labels:
        assert label in texts, label
    assert "now" in texts
    draw(example, tmp_path / "t.png")
    png = (tmp_path / "t.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and png[12:16] == b"IHDR"
    width, height = struct.unpack(">II", png[16:24])
    assert width > 500 and height > 100


def test_the_svg_is_the_same_bytes_each_time(tmp_path: Path) -> None:
    draw("conference", tmp_path / "a.svg")
    draw("conference", tmp_path / "b.svg")
    assert (tmp_path / "a.svg").read_bytes() == (tmp_path / "b.svg").read_bytes()


def test_a_picture_of_another_kind_is_refused(tmp_path: Path) -> None:
    run = CliRunner().invoke(cli, ["timeline", str(EXAMPLES / "workshop.yaml"), "-o", str(tmp_path / "t.gif")])
    assert run.exit_code == 1 and "is written as .svg or .png" in run.stderr and "Traceback" not in run.output
    assert not (tmp_path / "t.gif").exists()


def test_the_gantt_names_every_stage_and_release() -> None:
    line = timeline(load_venue(EXAMPLES / "conference.yaml"), now=None)
    text = gantt(line)
    assert text.startswith("```mermaid\ngantt\n") and text.endswith("```\n")
    for bar in line.bars:
        assert f"    {bar.label} :" in text
    assert "Official_Review :s3, 2026-10-24 00:00, 2026-11-21 00:29" in text
    assert "review release to authors after the deadline :milestone" in text
    assert "todayMarker off" in text and "section Now" not in text
    assert "    now :milestone, now, 2026-12-01 00:00, 0d" in gantt(timeline(load_venue(EXAMPLES / "conference.yaml"),
                                                                      now=1796126400000))

"""The venue configuration language: dates, templates, warnings, the JSON Schema and the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from venueops.cli import cli
from venueops.config.dates import DateError, format_ms, parse_date
from venueops.config.models import json_schema
from venueops.config.validate import load_venue_text
from venueops.errors import ConfigError

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "examples" / "venues").glob("*.yaml"))

MINIMAL = """\
venue:
  id: DRW.cc/2026/Workshop
  name: Workshop on Declarative Review
  timezone: {zone}
roles:
  program_chairs: [~Pat_Chair1]
stages:
  submission: {{start: 2026-02-01, due: {due}}}
"""


def minimal(zone: str = "AoE", due: str = "2026-03-01 23:59", extra: str = "") -> str:
    return MINIMAL.format(zone=zone, due=due) + extra


@pytest.mark.parametrize(
    ("text", "zone", "deadline", "iso"),
    [
        ("2026-03-01 23:59", "AoE", True, "2026-03-02T11:59:00+00:00"),
        ("2026-03-01", "AoE", True, "2026-03-02T11:59:00+00:00"),
        ("2026-03-01", "AoE", False, "2026-03-01T12:00:00+00:00"),
        ("2026-03-01 23:59 UTC", "AoE", True, "2026-03-01T23:59:00+00:00"),
        ("2026-03-01T23:59:30Z", "AoE", True, "2026-03-01T23:59:30+00:00"),
        ("2026-03-01T23:59:00+02:00", "UTC", True, "2026-03-01T21:59:00+00:00"),
        ("2026-07-01 12:00 Europe/Paris", "UTC", False, "2026-07-01T10:00:00+00:00"),
        ("2026-01-01 12:00", "-05:00", False, "2026-01-01T17:00:00+00:00"),
    ],
)
def test_dates(text: str, zone: str, deadline: bool, iso: str) -> None:
    import datetime as dt

    value = parse_date(text, zone, end_of_day=deadline)
    assert dt.datetime.fromtimestamp(value.ms / 1000, tz=dt.UTC).isoformat() == iso


def test_date_errors_and_display() -> None:
    for bad in ("2026-02-30", "2026-03-01 24:00", "yesterday", "2026-03-01 10:00 Nowhere/City"):
        with pytest.raises(DateError):
            parse_date(bad, "UTC", end_of_day=False)
    assert format_ms(parse_date("2026-03-01 23:59", "AoE", end_of_day=True).ms, "AoE") == "2026-03-01 23:59 AoE"


def test_yaml_dates_and_quoted_dates_mean_the_same() -> None:
    unquoted = load_venue_text(minimal(due="2026-03-01"))
    quoted = load_venue_text(minimal(due='"2026-03-01"'))
    assert unquoted.spec.stages.submission.due == quoted.spec.stages.submission.due == "2026-03-01"


def test_templates_in_strings_only() -> None:
    config = load_venue_text(minimal(extra="""\
groups:
  - id: "{{ venue.id }}/Publicity_Chairs"
    readers: ["{{ roles.program_chairs }}"]
    writers: ["{{ venue.id }}"]
    signatures: ["{{ venue.id }}"]
    signatories: ["{{ venue.id }}"]
    web: "{% raw %}Hello {{action}}{% endraw %}"
"""))
    group = config.spec.groups[0]
    assert group["id"] == "DRW.cc/2026/Workshop/Publicity_Chairs"
    assert group["readers"] == ["DRW.cc/2026/Workshop/Program_Chairs"]
    assert group["web"] == "Hello {{action}}"


def test_unknown_template_names_are_errors_at_their_line() -> None:
    with pytest.raises(ConfigError) as caught:
        load_venue_text(minimal(extra='groups:\n  - id: "{{ chairs }}"\n'), "venue.yaml")
    assert str(caught.value) == ("venue.yaml:10:9: error: template: unknown name 'chairs' "
                                 "(templates may use: roles, venue)")


def test_unusual_orders_are_warnings_not_errors(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    path = tmp_path / "venue.yaml"
    path.write_text(minimal(extra="  review: {start: 2026-02-20, due: 2026-04-10}\n"))
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["validate", "venue.yaml"])
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ("venue.yaml:9:19: warning: reviews open before the submission deadline "
                             "(2026-03-01 23:59 AoE)\n")
    as_json = json.loads(CliRunner().invoke(cli, ["validate", "--json", "venue.yaml"]).stdout)
    assert as_json["files"][0]["valid"] is True
    assert as_json["files"][0]["diagnostics"] == [{
        "severity": "warning", "message": "reviews open before the submission deadline (2026-03-01 23:59 AoE)",
        "file": "venue.yaml", "line": 9, "column": 19, "path": "stages.review.start"}]


def test_validate_many_files_and_json_errors(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    (tmp_path / "good.yaml").write_text(minimal())
    (tmp_path / "bad.yaml").write_text(minimal(due="soon"))
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["validate", "--json", "good.yaml", "bad.yaml"])
    assert result.exit_code == 1
    files = json.loads(result.stdout)["files"]
    assert [f["valid"] for f in files] == [True, False]
    assert files[1]["diagnostics"][0]["line"] == 8


def test_the_committed_schema_is_current() -> None:
    committed = json.loads((ROOT / "schemas" / "venue.schema.json").read_text())
    stale = "schemas/venue.schema.json is stale: run `venueops schema > schemas/venue.schema.json`"
    assert committed == json_schema(), stale
    result = CliRunner().invoke(cli, ["schema"])
    assert json.loads(result.stdout) == committed


def test_examples_declare_the_schema_for_editors() -> None:
    assert len(EXAMPLES) >= 3
    for example in EXAMPLES:
        first_line = example.read_text().splitlines()[0]
        assert first_line == "# yaml-language-server: $schema=../../schemas/venue.schema.json", example


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name)
def test_examples_validate(example: Path) -> None:
    result = CliRunner().invoke(cli, ["validate", str(example)])
    assert result.exit_code == 0, result.stderr


def test_render_prints_the_compiled_objects(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    result = CliRunner().invoke(cli, ["render", "examples/venues/workshop.yaml"])
    assert result.exit_code == 0, result.stderr
    rendered = json.loads(result.stdout)
    assert rendered["format_version"] == 1 and rendered["venue"] == "DRW.cc/2026/Workshop"
    assert result.stdout == (ROOT / "tests" / "golden" / "compile" / "workshop.json").read_text()
    later_run = CliRunner().invoke(cli, ["render", "--at", "2026-04-12", "examples/venues/workshop.yaml"])
    later = json.loads(later_run.stdout)
    assert later != rendered
    bad = CliRunner().invoke(cli, ["render", "--at", "someday", "examples/venues/workshop.yaml"])
    assert bad.exit_code == 2 and "someday" in bad.stderr

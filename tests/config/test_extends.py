"""``extends``: venue files written over base files (venueops.config.extends).

Merge semantics as a table; errors located in the file that wrote the offending value; cycles and
missing bases; a base validated alone; the series examples against committed flat equivalents
(``tests/golden/series/*.flat.yaml``, rewritten by ``--update-golden``); ``render`` and plans naming
the files that contributed; a saved plan made stale by a changed base.
"""

from __future__ import annotations

import json
import os
import textwrap
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from click.testing import CliRunner

from venueops.access.policy import checked_policies
from venueops.cli import cli
from venueops.compile.compile import compile_venue
from venueops.config.extends import MAX_FILES, compose
from venueops.config.loader import load_file
from venueops.config.validate import BaseFileError, compose_file, load_venue
from venueops.errors import ConfigError

ROOT = Path(__file__).resolve().parents[2]
SERIES = ROOT / "examples" / "venues" / "series"
EXTENDED = sorted(SERIES.glob("*.yaml"))
BASES = sorted((SERIES / "base").glob("*.yaml"))
GOLDEN = ROOT / "tests" / "golden" / "series"
PLAN_SCHEMA = json.loads((ROOT / "schemas" / "plan.schema.json").read_text())

VENUE = """\
venue:
  id: DRW.cc/2026/Workshop
  name: Workshop on Declarative Review
  timezone: AoE
roles:
  program_chairs: [~Pat_Chair1]
stages:
  submission:
    start: 2026-02-01
    due: 2026-03-01 23:59
    readers_after_due: [reviewers_assigned]
"""


def write(directory: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (directory / name).parent.mkdir(parents=True, exist_ok=True)
        (directory / name).write_text(textwrap.dedent(text))


def composed_data(directory: Path, name: str) -> dict[str, Any]:
    data = compose_file(load_file(directory / name)).data
    return {k: v for k, v in data.items() if k != "extends"}


# -- merge semantics ------------------------------------------------------------------------------
MERGES = [
    pytest.param({"base.yaml": "a: {x: 1, y: 2}\n", "top.yaml": "extends: base.yaml\na: {y: 3, z: 4}\n"},
                 {"a": {"x": 1, "y": 3, "z": 4}}, id="mappings merge"),
    pytest.param({"base.yaml": "a: {b: {c: 1, d: 2}}\n", "top.yaml": "extends: base.yaml\na: {b: {d: 5}}\n"},
                 {"a": {"b": {"c": 1, "d": 5}}}, id="mappings merge recursively"),
    pytest.param({"base.yaml": "a: [1, 2, 3]\n", "top.yaml": "extends: base.yaml\na: [4]\n"},
                 {"a": [4]}, id="a list replaces"),
    pytest.param({"base.yaml": "a: [1, 2]\n", "top.yaml": "extends: base.yaml\na: {append: [3, 4]}\n"},
                 {"a": [1, 2, 3, 4]}, id="append"),
    pytest.param({"base.yaml": "a: [x, y, z]\n", "top.yaml": "extends: base.yaml\na: {remove: [y]}\n"},
                 {"a": ["x", "z"]}, id="remove"),
    pytest.param({"base.yaml": "a: [{k: 1}, {k: 2}]\n", "top.yaml": "extends: base.yaml\na: {remove: [{k: 1}]}\n"},
                 {"a": [{"k": 2}]}, id="remove by equality"),
    pytest.param({"base.yaml": "a: [x, y]\n", "top.yaml": "extends: base.yaml\na: {remove: [x], append: [x]}\n"},
                 {"a": ["y", "x"]}, id="remove then append"),
    pytest.param({"base.yaml": "form: {remove: [TLDR]}\n", "top.yaml": "extends: base.yaml\nform: {remove: [a]}\n"},
                 {"form": {"remove": ["a"]}}, id="a remove: key over a mapping is a key"),
    pytest.param({"base.yaml": "a: {x: 1, y: 2}\nb: 3\n", "top.yaml": "extends: base.yaml\na: {x: null}\nb: null\n"},
                 {"a": {"y": 2}}, id="null removes a key"),
    pytest.param({"base.yaml": "a: 1\n", "top.yaml": "extends: base.yaml\nb: null\n"},
                 {"a": 1, "b": None}, id="null where no base sets the key"),
    pytest.param({"base.yaml": "roles: {reviewers: {anonymous: true}, area_chairs: {}}\n",
                  "top.yaml": "extends: base.yaml\nroles: {reviewers: null, area_chairs: null}\n"},
                 {"roles": {"reviewers": None}}, id="null keeps its meaning where it is not the default"),
    pytest.param({"one.yaml": "a: {x: 1, y: 1}\nl: [1]\n", "two.yaml": "a: {y: 2, z: 2}\nl: {append: [2]}\n",
                  "top.yaml": "extends: [one.yaml, two.yaml]\na: {z: 3}\n"},
                 {"a": {"x": 1, "y": 2, "z": 3}, "l": [1, 2]}, id="later bases override earlier ones"),
    pytest.param({"base/bottom.yaml": "a: {x: 1, y: 1, z: 1}\nbase: true\n",
                  "base/middle.yaml": "extends: bottom.yaml\nbase: true\na: {y: 2}\n",
                  "top.yaml": "extends: base/middle.yaml\na: {z: 3}\n"},
                 {"a": {"x": 1, "y": 2, "z": 3}}, id="nested bases, paths relative to each file"),
    pytest.param({"shared.yaml": "a: {x: 1}\nl: [s]\n", "left.yaml": "extends: shared.yaml\nl: {append: [left]}\n",
                  "right.yaml": "extends: shared.yaml\na: {y: 2}\n",
                  "top.yaml": "extends: [left.yaml, right.yaml]\n"},
                 {"a": {"x": 1, "y": 2}, "l": ["s"]}, id="a diamond: the later base's whole list wins"),
]


@pytest.mark.parametrize(("files", "expected"), MERGES)
def test_merge(files: dict[str, str], expected: dict[str, Any], tmp_path: Path) -> None:
    write(tmp_path, files)
    assert composed_data(tmp_path, "top.yaml") == expected


def test_a_base_keeps_its_own_extends_and_base_keys(tmp_path: Path) -> None:
    write(tmp_path, {"b.yaml": "base: true\nextends: c.yaml\n", "c.yaml": "a: 1\n", "top.yaml": "extends: b.yaml\n"})
    assert compose_file(load_file(tmp_path / "top.yaml")).data == {"a": 1, "extends": "b.yaml"}


def test_positions_point_into_the_file_that_wrote_each_value(tmp_path: Path) -> None:
    write(tmp_path, {"base.yaml": "a:\n  x: 1\n  l: [p, q]\n",
                     "top.yaml": "extends: base.yaml\na:\n  l: {append: [r]}\n"})
    source = compose(load_file(tmp_path / "top.yaml")).source
    assert str(source.locate(("a", "x"))) == f"{tmp_path / 'base.yaml'}:2:6"
    assert str(source.locate(("a", "l", 1))) == f"{tmp_path / 'base.yaml'}:3:10"
    assert str(source.locate(("a", "l", 2))) == f"{tmp_path / 'top.yaml'}:3:16"
    assert str(source.locate(("a",), key=True)) == f"{tmp_path / 'top.yaml'}:2:1"


# -- errors, where they were written --------------------------------------------------------------
def problems(path: Path) -> list[str]:
    with pytest.raises(ConfigError) as raised:
        checked_policies(load_venue(path))
    return [d.render() for d in raised.value.diagnostics]


def test_a_bad_value_in_the_base_is_reported_in_the_base(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path, {"base/ws.yaml": VENUE + "  review:\n    start: 2026-03-10\n    release_to_authors: sometimes\n",
                     "ws.yaml": "extends: base/ws.yaml\nvenue:\n  name: Another Workshop\n"})
    assert problems(Path("ws.yaml")) == [
        "base/ws.yaml:14:25: error: stages.review.release_to_authors: 'sometimes' is not a release: write true, "
        "false or after_due"]


def test_a_bad_value_in_the_extending_file_is_reported_there(tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path, {"base.yaml": VENUE, "ws.yaml": "extends: base.yaml\nstages:\n  submission:\n    due: someday\n"})
    [message] = problems(Path("ws.yaml"))
    assert message.startswith("ws.yaml:4:10: error: stages.submission.due: ")


@pytest.mark.parametrize(("base_extra", "top_extra", "expected"), [
    pytest.param("  review:\n    start: 2026-02-10\n", "", "base.yaml:13:12: warning: reviews open before the "
                 "submission deadline (2026-03-01 23:59 AoE)", id="a check, in the base"),
    pytest.param("", "stages:\n  review:\n    start: 2026-02-10\n", "ws.yaml:4:12: warning: reviews open before "
                 "the submission deadline (2026-03-01 23:59 AoE)", id="a check, in the extending file"),
])
def test_checks_are_located_in_the_file_that_wrote_the_value(base_extra: str, top_extra: str, expected: str,
                                                            tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path, {"base.yaml": VENUE + base_extra, "ws.yaml": "extends: base.yaml\n" + top_extra})
    assert [w.render() for w in load_venue(Path("ws.yaml")).warnings] == [expected]


def test_templates_and_policies_are_located_in_the_base(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    contact = "  timezone: AoE\n  contact: '{{ venue.mail }}'\n"
    write(tmp_path, {"base.yaml": VENUE.replace("  timezone: AoE\n", contact), "ws.yaml": "extends: base.yaml\n"})
    assert problems(Path("ws.yaml")) == [
        "base.yaml:5:12: error: template: venue has no 'mail' (it has: contact, id, name, timezone)"]
    rules = "policies:\n  rules:\n    - {role: nobody, may_not: read, what: submissions}\n"
    write(tmp_path, {"base.yaml": VENUE + rules})
    [message] = problems(Path("ws.yaml"))
    assert message.startswith("base.yaml:14:14: error: policies.rules[0].role: ")


def test_a_value_no_file_sets_is_asked_of_the_extending_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path, {"base.yaml": VENUE.replace("    due: 2026-03-01 23:59\n", ""), "ws.yaml": "extends: base.yaml\n"})
    assert problems(Path("ws.yaml")) == [
        "ws.yaml:1:1: error: stages.submission.due is required: neither this file nor a file it extends sets it"]


def test_cycles(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path, {"a.yaml": "extends: b.yaml\n" + VENUE, "b.yaml": "base: true\nextends: [c.yaml, a.yaml]\n",
                     "c.yaml": "base: true\n", "self.yaml": "extends: self.yaml\n"})
    assert problems(Path("a.yaml")) == ["b.yaml:2:19: error: extends makes a cycle: a.yaml → b.yaml → a.yaml"]
    assert problems(Path("self.yaml")) == ["self.yaml:1:10: error: extends makes a cycle: self.yaml → self.yaml"]


def test_missing_and_unreadable_bases(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path, {"base.yaml": VENUE, "ws/a.yaml": "extends: [../base.yaml, ../bases/nothere.yaml]\n",
                     "ws/b.yaml": "extends: ..\n", "ws/c.yaml": "extends: 3\n", "broken.yaml": "a: [\n",
                     "ws/e.yaml": "extends: /dev/zero\n", "ws/f.yaml": "extends: locked.yaml\n",
                     "ws/d.yaml": "extends: ../broken.yaml\n"})
    assert problems(Path("ws/a.yaml")) == [
        "ws/a.yaml:1:25: error: extends: the base file bases/nothere.yaml does not exist (paths in extends are "
        "relative to the directory of the file that names them)"]
    assert problems(Path("ws/b.yaml")) == ["ws/b.yaml:1:10: error: extends: the base file . is not a file"]
    assert problems(Path("ws/c.yaml")) == [
        "ws/c.yaml:1:10: error: extends: give the path of a base file, or a list of paths"]
    assert problems(Path("ws/e.yaml")) == ["ws/e.yaml:1:10: error: extends: the base file /dev/zero is not a file"]
    (tmp_path / "ws" / "locked.yaml").write_text("a: 1\n")
    (tmp_path / "ws" / "locked.yaml").chmod(0)
    if not os.access(tmp_path / "ws" / "locked.yaml", os.R_OK):  # (root reads it anyway)
        assert problems(Path("ws/f.yaml")) == [
            "ws/f.yaml:1:10: error: cannot read the base file ws/locked.yaml: Permission denied"]
    [broken] = problems(Path("ws/d.yaml"))
    assert broken.startswith("broken.yaml:2:1: error: invalid YAML")


def test_a_venue_is_made_of_a_bounded_number_of_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path, {f"f{n}.yaml": f"extends: f{n + 1}.yaml\n" for n in range(MAX_FILES)})
    write(tmp_path, {f"f{MAX_FILES}.yaml": VENUE})
    assert problems(Path("f0.yaml")) == [
        f"f{MAX_FILES - 1}.yaml:1:10: error: extends: more than {MAX_FILES} files make up this venue"]


def test_remove_names_only_what_the_base_lists(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    removal = "stages:\n  submission:\n    readers_after_due: {remove: [nobody]}\n"
    write(tmp_path, {"base.yaml": VENUE, "ws.yaml": "extends: base.yaml\n" + removal})
    assert problems(Path("ws.yaml")) == [
        "ws.yaml:4:34: error: stages.submission.readers_after_due: remove: 'nobody' is not in the list the base "
        "files give (base.yaml:11:24)"]


# -- bases ------------------------------------------------------------------------------------------
def test_a_base_validated_alone_says_what_an_extending_file_must_set(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path, {"base.yaml": """\
        base: true
        venue:
          timezone: AoE
          instructions: "{{ venue.short_name }} is double blind"
        stages:
          review: {release_to_authors: after_due}
        """})
    with pytest.raises(BaseFileError) as raised:
        load_venue(Path("base.yaml"))
    assert raised.value.required == ("venue.id", "venue.name", "roles.program_chairs", "stages.submission.start",
                                     "stages.submission.due", "stages.review.start", "venue.short_name")
    result = CliRunner().invoke(cli, ["validate", "base.yaml"])
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "base.yaml: valid base; this file is a base: an extending file must set venue.id, venue.name, "
        "roles.program_chairs, stages.submission.start, stages.submission.due, stages.review.start and "
        "venue.short_name\n")
    rendered = CliRunner().invoke(cli, ["render", "base.yaml"])
    assert rendered.exit_code == 1
    assert rendered.stderr.startswith("base.yaml:1:1: error: this file is a base: an extending file must set venue.id")
    assert "a base is not planned or rendered itself: plan a file that extends it" in rendered.stderr


def test_a_base_with_a_bad_value_is_invalid(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path, {"base.yaml": "base: true\nstages:\n  review: {release_to_authors: sometimes}\n"})
    result = CliRunner().invoke(cli, ["validate", "base.yaml"])
    assert result.exit_code == 1
    assert result.stderr == ("base.yaml:3:32: error: stages.review.release_to_authors: 'sometimes' is not a release: "
                             "write true, false or after_due\n")


def test_a_complete_base_is_still_a_base(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path, {"base.yaml": "base: true\n" + VENUE})
    result = CliRunner().invoke(cli, ["validate", "--json", "base.yaml"])
    assert result.exit_code == 0
    assert json.loads(result.stdout)["files"] == [
        {"file": "base.yaml", "valid": True, "base": True, "requires": [], "diagnostics": []}]


# -- the series examples ----------------------------------------------------------------------------
def without_sources(text: str) -> str:
    document = json.loads(text)
    for obj in document["objects"]:
        obj.pop("source", None)
    return json.dumps(document, indent=2, ensure_ascii=False)


@pytest.mark.parametrize("example", EXTENDED, ids=lambda p: p.stem)
def test_the_series_examples_are_valid_venues(example: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    assert example.read_text().splitlines()[0] == "# yaml-language-server: $schema=../../../schemas/venue.schema.json"
    result = CliRunner().invoke(cli, ["validate", str(example.relative_to(ROOT))])
    assert result.exit_code == 0, result.output
    assert result.stderr == "", "no warnings, no policy findings"
    config = load_venue(example.relative_to(ROOT))
    assert config.bases and all(base.startswith("examples/venues/series/base/") for base in config.bases)


@pytest.mark.parametrize("base", BASES, ids=lambda p: p.stem)
def test_the_series_bases_validate_as_bases(base: Path) -> None:
    assert base.read_text().splitlines()[0] == "# yaml-language-server: $schema=../../../../schemas/venue.schema.json"
    result = CliRunner().invoke(cli, ["validate", str(base)])
    assert result.exit_code == 0, result.output
    assert "valid base; this file is a base: an extending file must set venue.id, venue.name, " in result.stdout


@pytest.mark.parametrize("example", EXTENDED, ids=lambda p: p.stem)
def test_the_series_examples_compile_as_their_flat_equivalents(example: Path, update_golden: bool,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """Each extended example equals a committed flat file (the merge, written out): the same text as the
    merge gives now, and the same compiled objects, byte for byte (where they were written aside)."""
    monkeypatch.chdir(ROOT)
    name = example.relative_to(ROOT)
    flat = GOLDEN / f"{example.stem}.flat.yaml"
    merged = {k: v for k, v in compose_file(load_file(name)).data.items() if k != "extends"}
    text = (f"# {name} with the files it extends merged in (tests/config/test_extends.py; --update-golden)\n"
            + yaml.safe_dump(merged, sort_keys=False, allow_unicode=True, width=120))
    if update_golden:
        GOLDEN.mkdir(parents=True, exist_ok=True)
        flat.write_text(text)
    assert flat.read_text() == text, f"{name} merges differently; rerun with --update-golden if intended"
    extended = compile_venue(load_venue(name)).dumps()
    assert without_sources(extended) == without_sources(compile_venue(load_venue(flat.relative_to(ROOT))).dumps())


def test_the_two_conference_editions_share_their_base() -> None:
    editions = [load_venue(SERIES / f"conference-{year}.yaml").spec for year in (2026, 2027)]
    assert [e.venue.id for e in editions] == ["DRC.cc/2026/Conference", "DRC.cc/2027/Conference"]
    assert editions[0].stages.rebuttal == editions[1].stages.rebuttal.model_copy(
        update={"start": editions[0].stages.rebuttal.start, "due": editions[0].stages.rebuttal.due})
    assert editions[1].stages.submission.subject_areas == (*editions[0].stages.submission.subject_areas, "Robustness")


# -- provenance: render, plans, digests -------------------------------------------------------------
def test_render_names_the_files_each_object_comes_from(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    result = CliRunner().invoke(cli, ["render", "examples/venues/series/workshop-summer.yaml"])
    assert result.exit_code == 0, result.stderr
    objects = {o["id"]: o for o in json.loads(result.stdout)["objects"]}
    base, summer = "examples/venues/series/base/workshop.yaml", "examples/venues/series/workshop-summer.yaml"
    assert objects["DRW.cc/2026/Summer_Workshop/Reviewers"]["files"] == [base]
    assert objects["DRW.cc/2026/Summer_Workshop/Program_Chairs"]["files"] == [summer]
    assert objects["DRW.cc/2026/Summer_Workshop/-/Decision"]["files"] == [base, summer]
    assert objects["DRW.cc/2026/Summer_Workshop/-/Decision"]["source"] == f"{summer}:27:3"
    assert list(objects["DRW.cc/2026/Summer_Workshop/-/Decision"])[-2:] == ["files", "invitation"]
    assert all(o["files"] for o in objects.values())


def test_the_digest_covers_every_file(tmp_path: Path) -> None:
    write(tmp_path, {"base.yaml": VENUE, "ws.yaml": "extends: base.yaml\n"})
    before = load_venue(tmp_path / "ws.yaml")
    assert before.files == (str(tmp_path / "base.yaml"), str(tmp_path / "ws.yaml"))
    (tmp_path / "base.yaml").write_text(VENUE.replace("Workshop on", "A Workshop on"))
    assert load_venue(tmp_path / "ws.yaml").sha256 != before.sha256
    flat = load_venue(tmp_path / "base.yaml")
    assert flat.sha256 == load_file(tmp_path / "base.yaml").sha256, "a file that extends none: its own digest"


def test_plans_name_the_files_and_a_changed_base_makes_a_saved_plan_stale(
        baseurl: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.plan.conftest import AT, credentials

    monkeypatch.chdir(tmp_path)
    write(tmp_path, {"series/base/workshop.yaml": (SERIES / "base" / "workshop.yaml").read_text(),
                     "series/spring.yaml": (SERIES / "workshop-spring.yaml").read_text()})
    env = credentials(baseurl)

    def venueops(*args: str) -> Any:
        return CliRunner().invoke(cli, list(args), env=env, catch_exceptions=False)

    text = venueops("plan", "series/spring.yaml", "--bootstrap", "--at", AT)
    assert text.exit_code == 0, text.output
    assert text.stdout.splitlines()[0].endswith("from series/spring.yaml (extending series/base/workshop.yaml)")
    assert ("  + invitation DRW.cc/2026/Spring_Workshop/-/Rebuttal  (stages.rebuttal, spring.yaml:25)\n"
            "      # not in OpenReview yet\n"
            "      # written in series/spring.yaml\n") in text.stdout
    assert "      # written in series/base/workshop.yaml, series/spring.yaml\n" in text.stdout
    saved = venueops("plan", "series/spring.yaml", "--bootstrap", "--at", AT, "-o", "plan.json")
    assert saved.exit_code == 0, saved.output
    document = json.loads((tmp_path / "plan.json").read_text())
    jsonschema.validate(document, PLAN_SCHEMA)
    assert document["config_bases"] == ["series/base/workshop.yaml"]
    assert document["config_sha256"] == load_venue(Path("series/spring.yaml")).sha256
    review = next(c for c in document["changes"] if c["id"] == "DRW.cc/2026/Spring_Workshop/-/Official_Review")
    assert review["files"] == ["series/base/workshop.yaml", "series/spring.yaml"]

    base = tmp_path / "series" / "base" / "workshop.yaml"
    original = base.read_text()
    base.write_text(original.replace("location: Online", "location: Online, worldwide"))
    stale = venueops("apply", "plan.json", "--bootstrap", "--at", AT, "--auto-approve")
    assert stale.exit_code == 1
    assert ("the venue file series/spring.yaml or a file it extends changed since plan.json was made (its digest "
            "differs): nothing was applied") in stale.stderr
    base.write_text(original)
    applied = venueops("apply", "plan.json", "--bootstrap", "--at", AT, "--auto-approve")
    assert applied.exit_code == 0, applied.output

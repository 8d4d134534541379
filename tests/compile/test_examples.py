"""Every example venue: its compiled objects match the committed golden JSON, compiling is
deterministic, and the sandbox accepts every object posted as OpenReview support and the program
chairs would post it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tests.compile.post import post_state
from venueops.compile.compile import compile_venue
from venueops.config.validate import load_venue

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "examples" / "venues").glob("*.yaml"))
GOLDEN = ROOT / "tests" / "golden" / "compile"


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_compiled_examples_match_their_goldens(example: Path, update_golden: bool,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    text = compile_venue(load_venue(example.relative_to(ROOT))).dumps()
    assert text == compile_venue(load_venue(example.relative_to(ROOT))).dumps(), "not deterministic"
    golden = GOLDEN / f"{example.stem}.json"
    if update_golden:
        golden.write_text(text)
    assert golden.exists(), f"no golden for {example.name}: run pytest --update-golden"
    assert text == golden.read_text(), f"{example.name} compiles differently; rerun with --update-golden if intended"


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_the_sandbox_accepts_every_compiled_object(example: Path, sandbox, root) -> None:
    state = compile_venue(load_venue(example))
    edits = post_state(sandbox.baseurl, root.token, state)
    assert len(edits) == len(state.objects)
    for obj in state.objects:
        if obj.members_only:
            assert set(obj.body["members"]) <= set(root.get_group(obj.id).members)
        elif obj.kind == "group":
            assert root.get_group(obj.id).id == obj.id
        else:
            assert root.get_invitation(obj.id).id == obj.id


def test_releases_after_the_due_date_are_compiled_for_a_moment() -> None:
    example = ROOT / "examples" / "venues" / "workshop.yaml"
    config = load_venue(example)
    before = compile_venue(config, at=int(dt.datetime(2026, 4, 1, tzinfo=dt.UTC).timestamp() * 1000))
    after = compile_venue(config, at=int(dt.datetime(2026, 4, 12, tzinfo=dt.UTC).timestamp() * 1000))
    review_before = before.get("invitation", "DRW.cc/2026/Workshop/-/Official_Review")
    review_after = after.get("invitation", "DRW.cc/2026/Workshop/-/Official_Review")
    assert review_before is not None and review_after is not None
    readers_before = review_before.body["edit"]["invitation"]["edit"]["note"]["readers"]
    readers_after = review_after.body["edit"]["invitation"]["edit"]["note"]["readers"]
    authors = "DRW.cc/2026/Workshop/Submission${5/content/noteNumber/value}/Authors"
    assert authors not in readers_before and authors in readers_after

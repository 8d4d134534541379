"""The parity report with OpenReview's own builder (``docs/parity.md``) is current and explains
every difference; and its checks can fail.

The report is made by ``scripts/parity.py``, which runs openreview-py's ``Venue`` builder and
venueops' compiler for the workshop, conference and open-review examples on two sandboxes and compares
what each server stores (again at the release moment of an ``after_due`` release).
"""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path
from types import ModuleType

import pytest

from tests.builders import released_now
from venueops.compile import stubs
from venueops.config.dates import parse_date

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def parity() -> ModuleType:
    spec = importlib.util.spec_from_file_location("parity", ROOT / "scripts" / "parity.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["parity"] = module  # dataclasses look their module up while the file runs
    spec.loader.exec_module(module)
    return module


def test_the_committed_report_is_current_and_every_difference_is_explained(parity: ModuleType) -> None:
    text, unexplained = parity.run()
    assert unexplained == [], "unexplained differences with the builder: fix them or explain them in " \
                              "scripts/parity.py"
    assert text == parity.REPORT.read_text(), "docs/parity.md is stale: run python scripts/parity.py"


def test_the_stub_check_tells_a_different_script_key_apart(parity: ModuleType) -> None:
    ours = stubs.parent_script_process("review_process_script")
    assert parity.stub_behaviour(ours) is not None
    assert parity.same_stub_behaviour(ours, ours)
    assert not parity.same_stub_behaviour(ours, stubs.parent_script_process("decision_process_script"))
    js = stubs.parent_script_preprocess_js("comment_preprocess_script")
    assert parity.same_stub_behaviour(js, js)
    assert not parity.same_stub_behaviour(js, stubs.parent_script_preprocess_js("other_script"))
    assert not parity.same_stub_behaviour(js, "")


def test_the_release_comparison_is_made_once_the_reviews_are_due(parity: ModuleType) -> None:
    assert parity.release_moment("workshop") == (parse_date("2026-04-10 23:59", "AoE", end_of_day=True).ms,
                                                 ["review"])
    assert parity.release_moment("open-review") is None  # public from the start: nothing released later
    assert released_now("after_due", True)
    assert not released_now("after_due", False)
    assert released_now(True, False)
    assert not released_now(False, True)


def test_a_difference_nobody_explained_is_reported(parity: ModuleType) -> None:
    comparison = parity._compare("invitation", "X.cc/-/Thing", {"id": "X.cc/-/Thing", "duedate": 1},
                                 {"id": "X.cc/-/Thing", "duedate": 2})
    assert comparison.status == "differs"
    results = {"example": [comparison]}
    assert parity.unexplained(results) == ["example: invitation X.cc/-/Thing duedate"]
    assert "| `duedate` | 1 | 2 | **UNEXPLAINED** |" in parity.render(results)


def test_an_object_on_one_side_only_is_reported(parity: ModuleType) -> None:
    only_builder = parity._compare("invitation", "X.cc/-/Chat", None, {"id": "X.cc/-/Chat"})
    assert only_builder.status == "only builder"
    assert parity.unexplained({"example": [only_builder]}) == ["example: invitation X.cc/-/Chat (object)"]


def test_the_readme_quotes_the_reports_figures() -> None:
    report = (ROOT / "docs" / "parity.md").read_text()
    counts = [tuple(map(int, m)) for m in re.findall(r"^(\d+) differs, (\d+) identical\.$", report, re.M)]
    total = sum(d + i for d, i in counts)
    identical = sum(i for _, i in counts)
    readme = " ".join((ROOT / "README.md").read_text().split())
    assert f"Of {total} objects, {identical} are identical" in readme, "update the parity figures in README.md"

"""Export refuses what it cannot read back: a clear error naming the venue, exit 1, no file written."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openreview
import yaml

from tests.conftest import PASSWORD, UserFactory
from tests.plan.conftest import AT, Venueops, credentials


def _refused(run: Any, tmp_path: Path, *words: str) -> None:
    assert run.exit_code == 1, run.output
    assert "Traceback" not in run.output
    for word in words:
        assert word in run.stderr, run.stderr
    assert not (tmp_path / "out.yaml").exists()


def test_unknown_venue(venueops: Venueops, tmp_path: Path) -> None:
    run = venueops("export", "Nowhere.cc/2026/Conference", "-o", "out.yaml")
    _refused(run, tmp_path, "there is no group Nowhere.cc/2026/Conference")


def test_a_group_that_is_not_a_venue(venueops: Venueops, venue_file: Any, tmp_path: Path) -> None:
    assert venueops("apply", venue_file("workshop"), "--auto-approve", "--bootstrap", "--at", AT).exit_code == 0
    run = venueops("export", "DRW.cc/2026", "-o", "out.yaml")
    _refused(run, tmp_path, "the group DRW.cc/2026 is not a venue")


def test_a_caller_without_rights(venueops: Venueops, venue_file: Any, tmp_path: Path, baseurl: str,
                                 make_user: UserFactory) -> None:
    assert venueops("apply", venue_file("workshop"), "--auto-approve", "--bootstrap", "--at", AT).exit_code == 0
    make_user("stranger@example.org", "Sam Stranger")
    run = venueops("export", "DRW.cc/2026/Workshop", "-o", "out.yaml",
                   env=credentials(baseurl, username="stranger@example.org", password=PASSWORD))
    _refused(run, tmp_path, "DRW.cc/2026/Workshop", "program chairs")


def test_a_live_edit_no_option_expresses_is_an_override(venueops: Venueops, venue_file: Any, tmp_path: Path,
                                                        root: Any) -> None:
    """A chair's hand edit of a stage-made invitation comes back as an override of that field: the file plans
    empty and says so."""
    assert venueops("apply", venue_file("workshop"), "--auto-approve", "--bootstrap", "--at", AT).exit_code == 0
    withdrawal = "DRW.cc/2026/Workshop/-/Withdrawal"
    root.post_invitation_edit(invitations="DRW.cc/2026/Workshop/-/Edit", signatures=["DRW.cc/2026/Workshop"],
                              invitation=openreview.api.Invitation(
                                  id=withdrawal, writers=["DRW.cc/2026/Workshop", "~Pat_Chair1"]))
    run = venueops("export", "DRW.cc/2026/Workshop", "-o", "out.yaml", "--at", AT)
    assert run.exit_code == 0, run.output
    exported = yaml.safe_load((tmp_path / "out.yaml").read_text())
    assert exported["overrides"] == [{"object": "/-/Withdrawal",
                                      "set": {"writers": ["DRW.cc/2026/Workshop", "~Pat_Chair1"]}}]
    assert "# /-/Withdrawal: 1 field of the live object no option of its stage" in (tmp_path / "out.yaml").read_text()
    plan = venueops("plan", "out.yaml", "--detailed-exitcode", "--at", AT)
    assert plan.exit_code == 0, plan.output


def test_a_file_that_would_not_plan_empty_is_not_written(venueops: Venueops, venue_file: Any,
                                                          tmp_path: Path, root: Any) -> None:
    """An object its stage makes, deleted in OpenReview: no venue file both has the stage and lacks the
    object, so export names the object and writes nothing, unless --allow-diff."""
    assert venueops("apply", venue_file("workshop"), "--auto-approve", "--bootstrap", "--at", AT).exit_code == 0
    reversion = "DRW.cc/2026/Workshop/-/Withdrawal_Reversion"
    root.post_invitation_edit(invitations="DRW.cc/2026/Workshop/-/Edit", signatures=["DRW.cc/2026/Workshop"],
                              invitation=openreview.api.Invitation(id=reversion, ddate=1767225600000))
    run = venueops("export", "DRW.cc/2026/Workshop", "-o", "out.yaml", "--at", AT)
    _refused(run, tmp_path, "would not plan empty", f"invitation {reversion}")
    allowed = venueops("export", "DRW.cc/2026/Workshop", "-o", "out.yaml", "--at", AT, "--allow-diff")
    assert allowed.exit_code == 0, allowed.output
    assert f"Differs: invitation {reversion}" in allowed.stderr
    assert (tmp_path / "out.yaml").exists()

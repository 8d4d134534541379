"""Parity of venueops' compiler with OpenReview's own venue builder: the report in ``docs/parity.md``.

    python scripts/parity.py            # regenerate docs/parity.md
    python scripts/parity.py --check    # exit 1 if the report is stale or a difference is unexplained

For each example, openreview-py's ``openreview.venue.Venue`` is configured with the same choices as
the venue file and run against one sandbox (its ``setup()`` and stage methods post the venue-level
groups and invitations, exactly as OpenReview support's tooling does); venueops' compiled objects
are posted to a second sandbox through the venue's meta invitation. Both sides are then read back
from their servers, so what is compared is what OpenReview stores, not what each side happened to
send, and normalised (server-owned fields dropped, unordered lists sorted). Every difference is
matched against ``EXPLANATIONS``; one without an explanation is listed as unexplained and fails
``--check`` (and ``tests/compile/test_parity.py``). An example with a ``release_to_authors: after_due``
is compared a second time, compiled for the moment the release takes effect and with the builder told
the release is on; the report lists the objects that release changes.

The builder's sandbox runs the venue's processes. Each ``save_invitation`` waits, as on OpenReview,
for the date process it sets five seconds after the save (``<invitation>-0-1``); the builder's client
moves the sandbox clock past that moment instead of sleeping, the process runs, and the builder reads
its real log. The comparison covers the objects, not what their scripts do; venueops' side is
posted with processes off.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import hashlib
import io
import json
import re
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import openreview

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.builders import BUILDER_PROCESSES, BUILDERS, root_client  # noqa: E402
from tests.compile.post import post_state  # noqa: E402
from venueops.compile.compile import compile_venue  # noqa: E402
from venueops.config.dates import parse_date  # noqa: E402
from venueops.config.validate import load_venue  # noqa: E402
from venueops.sandbox import Sandbox  # noqa: E402

REPORT = ROOT / "docs" / "parity.md"
EXAMPLES = ROOT / "examples" / "venues"
SERVER_FIELDS = frozenset({"tcdate", "tmdate", "mdate", "tauthor", "details", "invitations", "parentInvitations"})
UNORDERED = frozenset({"readers", "nonreaders", "writers", "signatories", "members", "invitees", "noninvitees",
                       "signatures"})
TRUNCATE = 110


# -- explanations -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Explanation:
    ids: str  # regex over the object id (fullmatch)
    paths: str  # regex over the JSON path of the difference (fullmatch)
    why: str
    # a check of the claim on the two values (e.g. "same behaviour"); the explanation covers a
    # difference only when it holds
    holds: Callable[[Any, Any], bool] | None = None

    def covers(self, object_id: str, path: str, ours: Any, theirs: Any) -> bool:
        return (re.fullmatch(self.ids, object_id) is not None and re.fullmatch(self.paths, path) is not None
                and (self.holds is None or self.holds(ours, theirs)))


def stub_behaviour(text: Any) -> tuple[Any, ...] | None:
    """What a process stub does, read from its text: the invitation it fetches, the content key whose
    script it runs, the globals it gives the script, the arguments it calls ``process`` with."""
    if not isinstance(text, str):
        return None
    if text.lstrip().startswith("async function"):  # JavaScript: the script is eval'd, no globals to give
        js_fetched = re.search(r"getInvitations\(\{\s*id:\s*([^}\s]+)\s*\}\)", text)
        js_key = re.search(r"content\.(\w+)\.value", text)
        js_call = re.search(r"await process\(([^)]*)\)", text)
        if not (js_fetched and js_key and js_call and "client.throwErrors = true" in text):
            return None
        return ("js", js_fetched.group(1), js_key.group(1), tuple(a.strip() for a in js_call.group(1).split(",")))
    fetched = re.search(r"get_invitation\(\s*([^)]*?)\s*\)", text)
    key = re.search(r"content\[\s*['\"](\w+)['\"]\s*\]", text)
    names = re.search(r"\{([^{}]*)\}", text[key.end():] if key else "")
    call = re.search(r"\[['\"]process['\"]\]\(([^)]*)\)", text)
    if not (fetched and key and names and call):
        return None
    return (fetched.group(1).strip("'\""), key.group(1),
            tuple(sorted(re.findall(r"['\"](\w+)['\"]\s*:", names.group(1)))),
            tuple(a.strip() for a in call.group(1).split(",")))


def same_stub_behaviour(ours: Any, theirs: Any) -> bool:
    return stub_behaviour(ours) is not None and stub_behaviour(ours) == stub_behaviour(theirs)


ANY = r".*"
EXPLANATIONS: tuple[Explanation, ...] = (
    Explanation(ANY, r"(dateprocesses\[\d+\]\.script|(edit\.invitation\.)?(process|preprocess))",
                "Both are stubs that run the script kept in the parent (or meta) invitation's content: the same "
                "content key, run with the same globals and called with the same arguments. The wording is "
                "venueops' own (`venueops/compile/stubs.py`), so the text differs; the scripts themselves "
                "(in the meta invitation's and the super invitations' `content`) are compared above and match. "
                "Checked: the script extracts from both texts the invitation fetched, the content key, the "
                "globals and the call's arguments, and they are equal.",
                holds=same_stub_behaviour),
    Explanation(ANY, r"content\.(start_date|date)\.value",
                "The venue file gives no start date (or no dates). The builder writes its placeholder `TBD`; "
                "venueops leaves the value empty, as the builder does for every other absent venue detail "
                "(website, location), so the homepage shows nothing rather than `TBD`.",
                holds=lambda ours, theirs: ours == "" and theirs == "TBD"),
    Explanation(ANY + r"/-/PC_Revision", r"edit\.note\.content\.(venue|venueid)",
                "The builder builds the PC revision form from the default submission form and marks every field "
                "of the already posted Submission invitation that the form lacks (`venue`, `venueid`) "
                "`{\"delete\": true}`, meant to prune them from an existing invitation; on a new invitation the "
                "markers stay in the template. venueops leaves the two fields out of the form: a program chair's "
                "revision never touches them, which is what the markers are for."),
)


# -- running both sides -----------------------------------------------------------------------------

class Recorder:
    """Wraps a client's edit posts to learn which groups and invitations the builder writes."""

    def __init__(self, client: openreview.api.OpenReviewClient) -> None:
        self.ids: dict[str, list[str]] = {"group": [], "invitation": []}
        for kind in ("group", "invitation"):
            original = getattr(client, f"post_{kind}_edit")
            setattr(client, f"post_{kind}_edit", self._wrap(kind, original))

    def _wrap(self, kind: str, original: Callable[..., Any]) -> Callable[..., Any]:
        def post(*args: Any, **kwargs: Any) -> Any:
            entity = kwargs.get(kind)  # an openreview-py Group/Invitation, or a plain dict
            object_id = entity.get("id") if isinstance(entity, dict) else getattr(entity, "id", None)
            if object_id and object_id not in self.ids[kind]:
                self.ids[kind].append(object_id)
            return original(*args, **kwargs)
        return post


# -- reading back and comparing ---------------------------------------------------------------------

def stored(client: openreview.api.OpenReviewClient, kind: str, object_id: str) -> dict[str, Any] | None:
    try:
        entity = client.get_group(object_id) if kind == "group" else client.get_invitation(object_id)
    except openreview.OpenReviewException:
        return None
    found = entity.to_json()
    if found.get("cdate") is not None and found.get("cdate") == getattr(entity, "tcdate", None):
        # a cdate the server filled in (the moment of the first edit) says when the object was made,
        # not what either side asked for: the builder's clock moves on while it waits for processes
        del found["cdate"]
    return found


def normalise(value: Any, key: str | None = None) -> Any:
    if isinstance(value, dict):
        return {k: normalise(v, k) for k, v in sorted(value.items()) if k not in SERVER_FIELDS}
    if isinstance(value, list):
        items = [normalise(v) for v in value]
        if key in UNORDERED and all(isinstance(v, str) for v in items):
            return sorted(items)
        return items
    return value


def is_script(path: str, value: Any) -> bool:
    return isinstance(value, str) and (re.search(r"(^|\.)(process|preprocess|web|script)$", path) is not None
                                       or path.endswith("_script.value") or "def process(" in value
                                       or "function process" in value or "// webfield" in value.lower())


@dataclass
class Difference:
    path: str
    ours: Any
    theirs: Any
    missing_ours: bool = False
    missing_theirs: bool = False
    explanation: int | None = None  # the number of the explanation that covers it


def differences(ours: Any, theirs: Any, path: str = "") -> Iterator[Difference]:
    if isinstance(ours, dict) and isinstance(theirs, dict):
        for key in sorted(set(ours) | set(theirs)):
            where = f"{path}.{key}" if path else key
            if key not in theirs:
                yield Difference(where, ours[key], None, missing_theirs=True)
            elif key not in ours:
                yield Difference(where, None, theirs[key], missing_ours=True)
            else:
                yield from differences(ours[key], theirs[key], where)
        return
    if isinstance(ours, list) and isinstance(theirs, list) and len(ours) == len(theirs) and \
            all(isinstance(v, dict) for v in ours + theirs):
        for index, (a, b) in enumerate(zip(ours, theirs, strict=True)):
            yield from differences(a, b, f"{path}[{index}]")
        return
    if ours != theirs:
        yield Difference(path, ours, theirs)


@dataclass
class ObjectComparison:
    kind: str
    id: str
    status: str  # identical | differs | only venueops | only builder
    differences: list[Difference] = field(default_factory=list)


def explain(object_id: str, difference: Difference) -> int | None:
    """The number (1-based) of the first explanation that covers this difference."""
    for number, explanation in enumerate(EXPLANATIONS, start=1):
        if explanation.covers(object_id, difference.path, difference.ours, difference.theirs):
            return number
    return None


def compare_example(example: str, at: int | None = None) -> list[ObjectComparison]:
    """Every venue-level object of the example, compared. ``at`` (epoch ms): compile for that moment,
    after the release moment (``release_moment``), and tell the builder the ``after_due`` releases are on."""
    config = load_venue(EXAMPLES / f"{example}.yaml")
    state = compile_venue(config, at=at)
    compiled = {(o.kind, o.id): o for o in state}
    with Sandbox(processes=BUILDER_PROCESSES) as theirs_server, Sandbox() as ours_server:
        theirs_client = root_client(theirs_server, time_travel=True)
        recorder = Recorder(theirs_client)
        with contextlib.redirect_stdout(io.StringIO()):  # the builder prints progress and retries
            BUILDERS[example](theirs_client, config.spec, at is not None)
        ours_client = root_client(ours_server)
        post_state(ours_server.baseurl, ours_client.token, state)
        ids = set(compiled) | {(kind, object_id) for kind, found in recorder.ids.items() for object_id in found}
        out = []
        for kind, object_id in sorted(ids, key=lambda item: (item[0] != "group", item[1])):
            obj = compiled.get((kind, object_id))
            ours = stored(ours_client, kind, object_id) if obj is not None else None
            theirs = stored(theirs_client, kind, object_id) if object_id in recorder.ids[kind] else None
            if obj is not None and obj.members_only:
                # OpenReview's registries: what matters is that the venue is listed, nothing else
                ours, theirs = (_listed(found, obj.body["members"]) for found in (ours, theirs))
            out.append(_compare(kind, object_id, ours, theirs))
    return out


RELEASED_STAGES = ("review", "meta_review", "decision")  # the stages with a ``release_to_authors``


@dataclass
class Release:
    """The comparison once an example's ``after_due`` releases are in effect."""

    at: int  # the moment compiled for (epoch ms): the last due date of a stage released after_due
    stages: list[str]  # the stages released after_due
    comparisons: list[ObjectComparison]  # the objects the release changes, on either side


def release_moment(example: str) -> tuple[int, list[str]] | None:
    """When every ``release_to_authors: after_due`` of the example is in effect (the latest of those
    stages' due dates), and which stages they are; None when the example has no such release."""
    spec = load_venue(EXAMPLES / f"{example}.yaml").spec
    dues: dict[str, int] = {}
    for name in RELEASED_STAGES:
        stage = getattr(spec.stages, name)
        if stage is not None and stage.release_to_authors == "after_due" and stage.due is not None:
            dues[name] = parse_date(stage.due, spec.venue.timezone, end_of_day=True).ms
    return (max(dues.values()), list(dues)) if dues else None


def compare_released(example: str, before: list[ObjectComparison]) -> Release | None:
    """The example compared again at its release moment: the objects whose compiled body the release
    changes, and any other whose comparison comes out unlike ``before`` (the comparison before it)."""
    moment = release_moment(example)
    if moment is None:
        return None
    at, stages = moment
    config = load_venue(EXAMPLES / f"{example}.yaml")
    unreleased = {(o.kind, o.id): o.body for o in compile_venue(config)}
    changed = {(o.kind, o.id) for o in compile_venue(config, at=at) if unreleased.get((o.kind, o.id)) != o.body}
    earlier = {(c.kind, c.id): c for c in before}
    return Release(at, stages, [c for c in compare_example(example, at)
                                if (c.kind, c.id) in changed or earlier.get((c.kind, c.id)) != c])


def _listed(group: dict[str, Any] | None, wanted: list[str]) -> dict[str, Any] | None:
    if group is None:
        return None
    return {"id": group["id"], "members": [m for m in group.get("members") or [] if m in wanted]}


def _compare(kind: str, object_id: str, ours: dict[str, Any] | None,
             theirs: dict[str, Any] | None) -> ObjectComparison:
    if ours is None or theirs is None:
        status = "only builder" if ours is None else "only venueops"
        comparison = ObjectComparison(kind, object_id, status)
        placeholder = Difference("(object)", ours is not None, theirs is not None, missing_ours=ours is None,
                                 missing_theirs=theirs is None)
        placeholder.explanation = explain(object_id, placeholder)
        comparison.differences.append(placeholder)
        return comparison
    found = list(differences(normalise(ours), normalise(theirs)))
    for difference in found:
        difference.explanation = explain(object_id, difference)
        if is_script(difference.path, difference.ours) and is_script(difference.path, difference.theirs):
            difference.ours, difference.theirs = _digest(difference.ours), _digest(difference.theirs)
    return ObjectComparison(kind, object_id, "differs" if found else "identical", found)


def _digest(text: str) -> str:
    return f"<script, {len(text)} chars, sha256 {hashlib.sha256(text.encode()).hexdigest()[:12]}>"


# -- the report -------------------------------------------------------------------------------------

def _shown(value: Any, absent: bool) -> str:
    if absent:
        return "(absent)"
    text = value if isinstance(value, str) and value.startswith("<script") else json.dumps(value, sort_keys=True)
    text = text.replace("|", "\\|").replace("\n", " ")
    return text if len(text) <= TRUNCATE else text[:TRUNCATE - 1] + "…"


def render(results: dict[str, list[ObjectComparison]], releases: dict[str, Release] | None = None) -> str:
    releases = releases or {}
    lines = [
        "# Parity with OpenReview's venue builder",
        "",
        "Generated by `python scripts/parity.py` (checked by `tests/compile/test_parity.py`); do not edit by hand.",
        "",
        "For each example, openreview-py's `openreview.venue.Venue` (version "
        f"{_orpy_version()}) is configured with the "
        "same choices as the venue file and posts its venue-level groups and invitations to one sandbox; "
        "venueops' compiled objects are posted to another. Both are read back from their servers, "
        "normalised (server-owned fields dropped, unordered lists sorted, scripts shown by size and digest) "
        "and compared field by field. Every difference is explained below, or listed as unexplained.",
        "",
        "Each example is compared as compiled before any `release_to_authors: after_due` takes effect (what "
        "`venueops render` prints), with the builder told the release is off; an example with such a release "
        "is compared again at its release moment, with the builder told the release is on (as a program chair "
        "re-running the stage with openreview-py would), listing the objects the release changes.",
        "",
        "Not compared: what the scripts do when they run (the builder's sandbox runs its processes, and each "
        "date process it waits for is reached by moving that sandbox's clock; venueops' side is posted with "
        "processes off); per-paper objects (the server's processes create them once there are papers); the "
        "builder's patch of a committee's `/-/Assignment_Configuration` when bidding is set up (it edits that "
        "invitation only once matching has created it, which neither side does here).",
        "",
    ]
    for example, comparisons in results.items():
        counts: dict[str, int] = {}
        for comparison in comparisons:
            counts[comparison.status] = counts.get(comparison.status, 0) + 1
        lines += [f"## `examples/venues/{example}.yaml`", "",
                  ", ".join(f"{n} {status}" for status, n in sorted(counts.items())) + ".", ""]
        lines += _section(comparisons, "")
        release = releases.get(example)
        if release is None:
            continue
        stages = ", ".join(f"`{name}`" for name in release.stages)
        moment = dt.datetime.fromtimestamp(release.at / 1000, dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
        lines += [f"## `examples/venues/{example}.yaml` once released", "",
                  f"Compiled at {moment}, the due date after which `release_to_authors: after_due` of {stages} is "
                  f"in effect, and compared with the builder told `release_to_authors=True` there. The release "
                  f"changes {len(release.comparisons)} object(s); every other object compares as above.", ""]
        lines += _section(release.comparisons, " once released")
    lines += ["## Explanations", ""]
    for number, explanation in enumerate(EXPLANATIONS, start=1):
        lines += [f"### E{number}", "", f"Objects `{explanation.ids}`, paths `{explanation.paths}`.", "",
                  explanation.why, ""]
    lines += ["## Unexplained", ""]
    lines += [f"- {item}" for item in unexplained(results, releases)] or ["None."]
    lines.append("")
    return "\n".join(lines)


def _section(comparisons: list[ObjectComparison], suffix: str) -> list[str]:
    """The table of the objects and, for each one not identical, its differences."""
    lines = ["| object | result | differences |", "| --- | --- | --- |"]
    for comparison in comparisons:
        lines.append(f"| {comparison.kind} `{comparison.id}` | {comparison.status} | "
                     f"{len(comparison.differences) if comparison.status == 'differs' else ''} |")
    lines.append("")
    for comparison in comparisons:
        if comparison.status == "identical":
            continue
        lines += [f"### {comparison.kind} `{comparison.id}`{suffix} ({comparison.status})", ""]
        if comparison.status == "differs":
            lines += ["| path | venueops | builder | why |", "| --- | --- | --- | --- |"]
            for d in comparison.differences:
                lines.append(f"| `{d.path}` | {_shown(d.ours, d.missing_ours)} | "
                             f"{_shown(d.theirs, d.missing_theirs)} | {_why(d.explanation)} |")
        else:
            lines.append(_why(comparison.differences[0].explanation))
        lines.append("")
    return lines


def _why(number: int | None) -> str:
    return f"[E{number}](#e{number})" if number else "**UNEXPLAINED**"


def _orpy_version() -> str:
    from importlib.metadata import version

    return version("openreview-py")


def unexplained(results: dict[str, list[ObjectComparison]], releases: dict[str, Release] | None = None) -> list[str]:
    """Every difference no explanation covers, as ``example: kind id path``."""
    sections = [(example, comparisons) for example, comparisons in results.items()]
    sections += [(f"{example} (once released)", release.comparisons) for example, release in (releases or {}).items()]
    out = []
    for label, comparisons in sections:
        for comparison in comparisons:
            for d in comparison.differences:
                if d.explanation is None:
                    out.append(f"{label}: {comparison.kind} {comparison.id} {d.path}")
    return out


def run() -> tuple[str, list[str]]:
    """The report's text and its unexplained differences, from fresh runs of both sides."""
    results = {example: compare_example(example) for example in BUILDERS}
    releases = {example: release for example in BUILDERS
                if (release := compare_released(example, results[example])) is not None}
    return render(results, releases), unexplained(results, releases)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="fail if docs/parity.md is stale or has unexplained "
                                                            "differences; write nothing")
    args = parser.parse_args(argv)
    text, missing = run()
    if args.check:
        current = REPORT.read_text() if REPORT.exists() else ""
        if current != text:
            print(f"{REPORT.relative_to(ROOT)} is stale: run python scripts/parity.py", file=sys.stderr)
            return 1
        if missing:
            print("unexplained differences:\n  " + "\n  ".join(missing), file=sys.stderr)
            return 1
        print("parity report current; every difference explained")
        return 0
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text(text)
    print(f"wrote {REPORT.relative_to(ROOT)}: {len(missing)} unexplained difference(s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())


"""Write the documentation site's pages that are made from README.md's sections.

    python scripts/update_docs.py

README.md is the one source of the prose that the site's tutorial, how-to guides, venue file page, sandbox
page and development page share with it. ``PAGES`` below says, page by page, which README headings
(``## …``/``### …``, each with the headings under it unless told otherwise) a page is made of, in order,
with the page's own text (its introduction, the tutorial's steps) between them, and the few places where
the site's copy says something differently (``edits``: a bold lead turned into a heading, an included
file, a sentence that reads better on its own page). Then every page gets, mechanically:

- headings moved to the page's levels (a README ``##`` section is the page's ``#`` title, its ``###`` are
  the page's ``##``), the README's own titles unless the table gives one;
- links to README anchors (``(#limits)``) pointed at the page and heading that now hold them;
- links to files of the site (``docs/how-to/x.md``) made relative to the page (``../how-to/x.md``);
- links to other files of the repository (``schemas/…``, ``examples/…``), which the site does not serve,
  left as their text (CHANGELOG.md becomes the changelog page).

Code blocks and the venue file reference between its markers (written by scripts/update_reference.py)
are copied as they are. An edit whose README text is gone, or a README anchor no page holds, is an error
naming the page: change the table, not the page. The other how-to guides (bases, formatting and new
editions, online checks) are written for the site and are not touched; docs/reference/cli.md and
docs/parity.md have generators of their own. ``tests/test_docs.py`` fails when a committed page is not
this script's output.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from markdown.extensions.toc import slugify

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
DOCS = ROOT / "docs"
COMMAND = "python scripts/update_docs.py"
NOTICE = f"<!-- Made from README.md by `{COMMAND}`: edit README.md (or the script's table), not this page. -->"
# the part of the README that scripts/update_reference.py writes: copied whole, its headings left as they are
BEGIN, END = "<!-- BEGIN venue-file-reference", "<!-- END venue-file-reference -->"
# repository files that are also pages of the site
REPOSITORY_PAGES = {"CHANGELOG.md": "changelog.md"}


@dataclass(frozen=True)
class Section:
    """A README heading and its text, down to the next heading of its level or above."""

    heading: str  # the README's heading as written: "### Saved plans"
    title: str | None = None  # the page's heading for it, when not the README's
    level: int | None = None  # its level on the page, when not the README's moved by the page's shift
    subsections: bool = True  # False: only its own text, up to the next heading of any level


@dataclass(frozen=True)
class Page:
    path: str  # under docs/
    parts: tuple[str | Section, ...]  # the page's own Markdown and README sections, in page order
    shift: int = -1  # README heading level → page heading level
    edits: tuple[tuple[str, str], ...] = ()  # (text, replacement) on the page as made; each found exactly once


def lead(bold: str, title: str, keep: str = "", level: int = 2) -> tuple[str, str]:
    """An edit turning a paragraph's bold lead (``**What it reads.** ``) into a heading; ``keep`` starts the text."""
    return bold, f"{'#' * level} {title}\n\n{keep}"


def before(text: str, insert: str) -> tuple[str, str]:
    """An edit putting ``insert`` (a paragraph or more) just before ``text``."""
    return text, f"{insert}\n\n{text}"

# The pages' own text, around their README sections. The tutorial's steps retell the README's Quickstart
# for a first-time reader (the venue file included whole, what to look at after each command).
TUTORIAL_STEPS = """\
# Tutorial: a first venue on the sandbox

This tutorial applies the example workshop to venueops' embedded sandbox (a local OpenReview API v2
server, nothing to sign up for), changes it and plans the change. It takes a few minutes; then the same
commands work against OpenReview itself with `--baseurl`.

## 1. Install

On a fresh machine with Python 3.11:

```sh
python3 -m venv .venv && . .venv/bin/activate && pip install -e ".[test]"
```

This installs venueops and its test tools into a virtual environment (`python -m pytest` then runs the
test suite: a few minutes on two cores; the slow scale tests are excluded, run them with
`python -m pytest -m slow`).

## 2. The venue file

A venue is one YAML file. The example workshop, `examples/venues/workshop.yaml`, is a small double-blind
workshop with a submission, a review and a decision stage:

```yaml
--8<-- "examples/venues/workshop.yaml"
```

`venueops validate examples/venues/workshop.yaml` checks it (exit 0 when valid) and `venueops render
examples/venues/workshop.yaml` prints the OpenReview groups and invitations it compiles to. Every key is
described in [the venue file reference](reference/venue-file.md).

## 3. Apply it to the sandbox

```sh
venueops apply examples/venues/workshop.yaml --sandbox
```

This is the main job, on the embedded sandbox (a local OpenReview API v2 server started for the command,
keeping its data in `.venueops/sandbox.db`): it shows the plan for the example workshop, asks for `yes`,
provisions what OpenReview support would (the venue group, its meta invitation, the chairs' accounts) and
applies the rest as the first program chair. Run it again: it reports `No changes. The venue matches the
configuration.`

To look at the result, `venueops sandbox serve` serves the same database on `http://localhost:3001`, where
openreview-py logs in as `openreview.net` or as a chair (see [the sandbox](sandbox.md)).

## 4. Change it, plan, apply

Then edit `examples/venues/workshop.yaml` (move a deadline, drop a form field, remove a stage) and run
`venueops plan examples/venues/workshop.yaml --sandbox` to see exactly what would change; `venueops apply
examples/venues/workshop.yaml --sandbox` makes the change. The rest of this page explains what those two
commands do.
"""

TUTORIAL_NEXT = """\
## Next steps

- [Adopt a live venue](how-to/adopt-a-venue.md) that openreview-py or the venue request form made.
- [Schedule reconcile](how-to/schedule-reconcile.md) to keep many venues where their files say.
- [Review plans in pull requests](how-to/review-plans-in-pull-requests.md): saved plans and Markdown plans.
- [Check who can see what](how-to/rehearse.md), and rehearse the venue with synthetic people.
"""

SCHEDULE_INTRO = """\
# Schedule reconcile

A venue changes on a timeline (reviews are released when their deadline passes) and people change it in
OpenReview's UI. Run on a schedule, venueops tells when a live venue no longer matches its file, applies
what has come due, and says who made each difference.
"""

REVIEW_INTRO = """\
# Review plans in pull requests

A venue file lives in git, so a change to a venue is a pull request. Two things help its reviewers: the
plan of the change, commented on the pull request (what OpenReview would see change, who would gain or
lose access, what e-mails would go out), and a saved plan, which `apply` then applies exactly as reviewed,
or not at all.

## Comment the plan on the pull request

`--format markdown` (on `plan` and `reconcile`) writes what a pull-request comment or an issue shows: the
summary line, the changes in a collapsible block, and what venueops owns. Markdown plans also carry the
venue's timeline as a Mermaid gantt, which GitHub draws, and say in bold when the plan widens access (see
[access changes in every plan](rehearse.md#access-changes-in-every-plan) and
[side effects](rehearse.md#side-effects)).

```sh
venueops plan venues/workshop.yaml --baseurl https://api2.openreview.net --format markdown > comment.md
```

`examples/schedules/github-plan-comment.yml` is a GitHub Actions workflow that comments `plan --format
markdown` on pull requests touching venue files (`tests/test_schedules.py` checks the commands and options
it uses):

```yaml
--8<-- "examples/schedules/github-plan-comment.yml"
```
"""

REHEARSE_INTRO = """\
# Who can see what: access, policies and the dress rehearsal

Who may read a paper's reviews, and from when, is decided by readers, invitees and dates spread over
dozens of invitations. venueops derives it from the venue file (the access model), shows how a plan
changes it, holds it to policies, draws the timeline, and proves it by playing the venue on a sandbox
with synthetic people.
"""

DOCUMENTATION_SITE = """\
## The documentation site

This site is built with [MkDocs](https://www.mkdocs.org) and its Material theme from `mkdocs.yml` and
`docs/` (both installed by the test extra):

```sh
mkdocs serve                      # read it at http://127.0.0.1:8000, rebuilt on each change
mkdocs build --strict             # write site/; any warning (a broken link or anchor, a page not in the nav) fails
```

The tutorial, the how-to guides on adopting a venue, scheduling reconcile, reviewing plans and access, the
venue file, the sandbox and this page are made from the README's sections by `python scripts/update_docs.py`
(its table says which headings make each page, and what the site's copy changes); edit the README, then run
it. The other how-to guides are written for the site. Two references are generated from the code, and
`tests/test_docs.py` fails when any generated page is stale or when the site does not build in strict mode:

- [the venue file reference](reference/venue-file.md): the tables between its markers come from
  `venueops schema --markdown` (`python scripts/update_reference.py` rewrites them here and in the README);
- [the command-line reference](reference/cli.md), from click's definitions of every command and option
  (`python scripts/cli_reference.py`); the same test checks that every command and every option appears
  there with a help text, so a new option needs its `help=`.
"""

INDEX = """\
```sh
python3 -m venv .venv && . .venv/bin/activate && pip install -e ".[test]"
venueops apply examples/venues/workshop.yaml --sandbox
```

## Where to start

- **[Tutorial](tutorial.md)**: a first venue on the embedded sandbox: install, apply the example workshop,
  change it and read the plan.
- **How-to guides**:
    - [adopt a live venue](how-to/adopt-a-venue.md) made by openreview-py's builder or the venue request
      form (`venueops export`);
    - [schedule reconcile](how-to/schedule-reconcile.md): drift detection and many venues kept in sync;
    - [review plans in pull requests](how-to/review-plans-in-pull-requests.md): Markdown plans and saved
      plans that apply exactly what was reviewed;
    - [who can see what](how-to/rehearse.md): the access model, policies, the timeline and the dress
      rehearsal;
    - [keep many venues on one base](how-to/base-venues.md), [format venue files and start next year's
      edition](how-to/format-and-new-editions.md), [check a venue file against the server](how-to/validate-online.md).
- **Reference**: [the venue file](reference/venue-file.md) (every key, generated from the models),
  [the command line](reference/cli.md) (every command and option, generated from the CLI) and
  [parity with OpenReview's builder](parity.md).
- **[The sandbox](sandbox.md)**: the local OpenReview API v2 server venueops' commands and tests run on.
- **[Development](development.md)**: tests, golden files, generated files and benchmarks.
- **[Changelog](changelog.md)**.

venueops is licensed under the Apache License 2.0 (`LICENSE`).

## This site

Built from `docs/` and `mkdocs.yml` with MkDocs and the Material theme: `mkdocs serve` serves it at
`http://127.0.0.1:8000`, `mkdocs build --strict` writes it to `site/`. See
[Development](development.md#the-documentation-site).
"""

PAGES = [
    Page("index.md", (Section("# venueops", level=1, subsections=False), INDEX)),
    Page("tutorial.md", (
        TUTORIAL_STEPS,
        Section("## Plan and apply", subsections=False),
        Section("### Where: a server or the sandbox"),
        Section("### Who may do what: the venue, and OpenReview support"),
        Section("### What a plan contains"),
        Section("### Apply"),
        TUTORIAL_NEXT,
    ), shift=0),
    Page("how-to/adopt-a-venue.md", (
        Section("### Adopting a live venue: export", title="Adopt a live venue: export", level=1),
    ), edits=(
        lead("**Adopting a venue, step by step**\n\n", "Adopting a venue, step by step"),
        lead("**What it reads.** ", "What it reads"),
        lead("**How the file is found.** ", "How the file is found"),
        lead("**Nothing is lost silently.** ", "Nothing is lost silently"),
        lead("**Tested** (`tests/export/`, sandbox over HTTP)", "What is tested",
             "Tested in `tests/export/` (sandbox over HTTP)"),
        lead("**Committee members.** ", "Committee members"),
        lead("**Workflow-based venues** ", "Workflow-based venues", "Workflow-based venues "),
        lead("**Not yet**: stages", "Not yet", "Stages"),
    )),
    Page("how-to/schedule-reconcile.md", (
        SCHEDULE_INTRO,
        Section("### Drift detection", title="Detect drift with a scheduled plan"),
        Section("### Reconcile: many venues on a schedule", title="Reconcile many venues"),
    ), edits=(
        lead("**One writer at a time.** ", "One writer at a time"),
        lead("**What venueops owns.** ", "What venueops owns"),
        before("`--format markdown` (on `plan` and `reconcile`) writes",
               "## Reports, and recipes for cron, systemd, GitHub Actions and Kubernetes"),
        before("On a terminal a progress bar",
               'The crontab line, for example (`examples/schedules/crontab`):\n\n'
               '```sh\n--8<-- "examples/schedules/crontab"\n```'),
        before("`--mode warn` reports as detect does", "## Telling the chairs: `--mode warn`"),
    )),
    Page("how-to/review-plans-in-pull-requests.md", (REVIEW_INTRO, Section("### Saved plans")), edits=(
        ("as `validate` checks objects (above)",
         "as `validate` checks objects ([checks](../reference/venue-file.md#checks))"),
    )),
    Page("how-to/rehearse.md", (
        REHEARSE_INTRO,
        Section("### Who can see what: access", title="The access model"),
    ), edits=(
        lead("**In every plan.** ", "Access changes in every plan"),
        lead("**Policies** (`venueops/access/policy.py`), checked by", "Policies",
             "Policies (`venueops/access/policy.py`) are checked by"),
        lead("**The timeline.** ", "The timeline"),
        lead("**Side effects** (`venueops/plan/effects.py`). A plan", "Side effects",
             "Side effects (`venueops/plan/effects.py`): a plan"),
        lead("**The dress rehearsal** ", "The dress rehearsal", "The dress rehearsal "),
    )),
    Page("reference/venue-file.md", (Section("## The venue file"),), edits=(
        ("## Reference\n\n", "## Reference\n\n"
         "Every key of the file, section by section, generated from venueops' models by `venueops schema --markdown`\n"
         "(`python scripts/update_reference.py` rewrites these tables here and in the README; `tests/test_docs.py`\n"
         "fails when they are stale).\n\n"),
    )),
    Page("sandbox.md", (Section("## The sandbox: a local OpenReview API v2"),)),
    Page("development.md", (Section("## Development"), Section("## Benchmarks", level=2)), edits=(
        ("# Development\n\n", "# Development\n\n## Tests, goldens and generated files\n\n"),
        lead("**The peer suite.** ", "The peer suite"),
        ("Layout:\n", "## Layout\n"),
        before("## Benchmarks\n", DOCUMENTATION_SITE.rstrip("\n")),
        ("see Development)", "see [the peer suite](#the-peer-suite))"),
    )),
]


@dataclass(frozen=True)
class Heading:
    level: int
    text: str
    line: int  # index in the README's lines
    anchor: str  # its id on GitHub


def readme_headings(lines: list[str]) -> list[Heading]:
    """The README's headings, less the lines of code blocks and of the generated reference."""
    headings, used = [], {}
    for index, line, is_text in _classified(lines):
        match = re.match(r"(#{1,6}) (.+)$", line) if is_text else None
        if match:
            anchor = github_anchor(match[2])
            used[anchor] = used.get(anchor, -1) + 1  # GitHub numbers a repeated heading's id: -1, -2, …
            anchor += f"-{used[anchor]}" if used[anchor] else ""
            headings.append(Heading(len(match[1]), match[2], index, anchor))
    return headings


def _classified(lines: list[str]) -> list[tuple[int, str, bool]]:
    """Each line with whether it is prose (False inside code fences and the generated reference)."""
    result, fence, reference = [], False, False
    for index, line in enumerate(lines):
        if line.startswith(BEGIN):
            reference = True
        stripped = line.lstrip()
        is_fence = stripped.startswith("```")
        result.append((index, line, not (fence or reference or is_fence)))
        if is_fence:
            fence = not fence
        if line.startswith(END):
            reference = False
    return result


def github_anchor(text: str) -> str:
    """The id GitHub gives a README heading: lower case, punctuation dropped, spaces as hyphens."""
    return re.sub(r"[^\w\- ]", "", text.lower()).replace(" ", "-")


def _section_lines(section: Section, headings: list[Heading], lines: list[str]) -> tuple[Heading, list[Heading], int]:
    """The section's heading, the headings under it that it takes, and the line after its last."""
    found = [h for h in headings if "#" * h.level + " " + h.text == section.heading]
    if len(found) != 1:
        raise SystemExit(f"README.md has {len(found)} headings {section.heading!r}: {COMMAND}'s table names one")
    head = found[0]
    after = [h for h in headings if h.line > head.line]
    stop = next((h for h in after if h.level <= head.level or not section.subsections), None)
    end = stop.line if stop else len(lines)
    return head, [h for h in after if h.line < end], end


def _level(section: Section, page: Page, head: Heading, heading: Heading) -> int:
    top = section.level if section.level is not None else head.level + page.shift
    return top + heading.level - head.level


def locations(headings: list[Heading], lines: list[str]) -> dict[str, tuple[str, str | None]]:
    """README anchor → (page, its anchor there; None for the page's title) of every heading a page holds."""
    found: dict[str, tuple[str, str | None]] = {}
    for page in PAGES:
        used: dict[str, int] = {}
        for section in (part for part in page.parts if isinstance(part, Section)):
            head, under, _ = _section_lines(section, headings, lines)
            for heading in (head, *under):
                text = section.title if heading is head and section.title else heading.text
                if _level(section, page, head, heading) == 1:
                    found[heading.anchor] = (page.path, None)
                    continue
                slug = slugify(text, "-")
                used[slug] = used.get(slug, -1) + 1
                found[heading.anchor] = (page.path, slug + (f"_{used[slug]}" if used[slug] else ""))
    return found


LINK = re.compile(r"\[([^\]]*)\]\(([^)\s]+)\)")


def relink(text: str, page: str, where: dict[str, tuple[str, str | None]]) -> str:
    """The README's links, as they work on ``page``."""

    def relative(target: str) -> str:
        return os.path.relpath(target, os.path.dirname(page) or ".").replace(os.sep, "/")

    def link(match: re.Match[str]) -> str:
        label, target = match[1], match[2]
        if re.match(r"[a-z]+:", target):
            return match[0]
        if target.startswith("#"):
            if target[1:] not in where:
                raise SystemExit(f"docs/{page}: README.md links to {target}, a heading no page holds: "
                                 f"add it to {COMMAND}'s table or change the link")
            other, anchor = where[target[1:]]
            path = "" if other == page and anchor else relative(other)
            return f"[{label}]({path}{'#' + anchor if anchor else ''})"
        path, _, fragment = target.partition("#")
        if path.startswith("docs/"):
            if not (ROOT / path).is_file():
                raise SystemExit(f"docs/{page}: README.md links to {path}, which does not exist")
            return f"[{label}]({relative(path[len('docs/'):])}{'#' + fragment if fragment else ''})"
        if path in REPOSITORY_PAGES:
            return f"[{label}]({relative(REPOSITORY_PAGES[path])})"
        return label  # a file of the repository the site does not serve: its name stays, as text

    return "\n".join(LINK.sub(link, line) if is_text else line for _, line, is_text in _classified(text.split("\n")))


def section_text(section: Section, page: Page, headings: list[Heading], lines: list[str]) -> str:
    head, under, end = _section_lines(section, headings, lines)
    body = lines[head.line:end]
    for heading in (head, *under):
        text = section.title if heading is head and section.title else heading.text
        body[heading.line - head.line] = "#" * _level(section, page, head, heading) + " " + text
    return "\n".join(body).strip("\n")


def markdown(page: Page, readme: str | None = None) -> str:
    """The page as README.md makes it."""
    lines = (README.read_text() if readme is None else readme).split("\n")
    headings = readme_headings(lines)
    where = locations(headings, lines)
    parts = [relink(section_text(part, page, headings, lines), page.path, where) if isinstance(part, Section)
             else part.strip("\n") for part in page.parts]
    text = "\n\n".join([NOTICE, *parts]) + "\n"
    for old, new in page.edits:
        if text.count(old) != 1:
            raise SystemExit(f"docs/{page.path}: {old!r} occurs {text.count(old)} times in the page as made from "
                             f"README.md, not once (README.md changed?): update {COMMAND}'s table")
        text = text.replace(old, new)
    return text


def pages() -> dict[Path, str]:
    """Each page's path and its text as README.md makes it."""
    readme = README.read_text()
    return {DOCS / page.path: markdown(page, readme) for page in PAGES}


def main() -> None:
    for path, text in pages().items():
        path.write_text(text)
    print(f"{len(PAGES)} pages of docs/ rewritten from README.md")


if __name__ == "__main__":
    main()

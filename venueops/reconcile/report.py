"""Reconcile results for people and programs (pure): plain lines as each venue finishes, a Markdown
summary for an issue or a pull-request comment, and the JSON report (``format_version`` 1)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from venueops.errors import VenueOpsError
from venueops.reconcile.run import VenueResult

REPORT_FORMAT_VERSION = 1
STATUS_WORDS = {"in_sync": "in sync", "changes": "changes", "healed": "healed", "error": "error"}


def report_document(results: list[VenueResult], *, mode: str, on_drift: str, target: str) -> dict[str, Any]:
    counts: dict[str, int] = {}
    for result in results:
        counts[result.status] = counts.get(result.status, 0) + 1
    return {"format_version": REPORT_FORMAT_VERSION, "mode": mode, "on_drift": on_drift, "target": target,
            "summary": {"venues": len(results), **dict(sorted(counts.items()))},
            "venues": [r.to_json() for r in results]}


def write_report(path: Path, document: dict[str, Any]) -> None:
    try:
        path.write_text(json.dumps(document, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    except OSError as error:
        raise VenueOpsError(f"cannot write the report to {path}: {error.strerror or error}") from None


def iter_lines(result: VenueResult) -> Iterator[str]:
    """A venue's result as plain lines, for logs and terminals."""
    label = result.venue_id or result.file
    if result.status == "error":
        error = result.error or "failed"
        yield f"error     {error}" if error.startswith(result.file) else f"error     {label} ({result.file}): {error}"
        return
    head = STATUS_WORDS[result.status]
    extra = f" ({result.applied} edit(s) posted)" if result.applied else ""
    if result.warned:
        extra += f" ({result.warned} drift(s) told to the program chairs)"
    yield f"{head:<9} {label}{extra}"
    for finding in result.findings:
        yield f"          {finding.change.action.symbol} {finding.change.address}: {finding.reason}"


def summary_table(results: list[VenueResult]) -> str:
    """The end-of-run table: one row per venue (status, findings by kind, edits posted), then the
    totals line. Plain aligned text, the same on a terminal and in a CI log."""
    rows = [("venue", "status", "due", "drift", "file", "edits", "told")]
    for r in results:
        kinds = [f.kind for f in r.findings]
        rows.append((r.venue_id or r.file, STATUS_WORDS[r.status], str(kinds.count("due")),
                     str(kinds.count("drift")), str(kinds.count("file")), str(r.applied), str(r.warned)))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(cell.ljust(w) if i < 2 else cell.rjust(w)
                       for i, (cell, w) in enumerate(zip(row, widths, strict=True))).rstrip() for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    counts = {status: sum(1 for r in results if r.status == status) for status in STATUS_WORDS}
    lines.append("")
    lines.append(f"{len(results)} venue(s): {counts['in_sync']} in sync, {counts['healed']} healed, "
                 f"{counts['changes']} with changes, {counts['error']} error(s).")
    return "\n".join(lines) + "\n"


def report_markdown(results: list[VenueResult], *, mode: str) -> str:
    """A summary table, then each venue's findings; what an issue opened by a scheduled job shows."""
    counts = {status: sum(1 for r in results if r.status == status) for status in STATUS_WORDS}
    lines = [f"### venueops reconcile ({mode})", "",
             f"**{len(results)} venue(s): {counts['in_sync']} in sync, {counts['healed']} healed, "
             f"{counts['changes']} with changes, {counts['error']} error(s).**", "",
             "| venue | file | status | findings | edits posted |", "| --- | --- | --- | --- | --- |"]
    for result in results:
        lines.append(f"| `{result.venue_id or '?'}` | `{result.file}` | {STATUS_WORDS[result.status]} | "
                     f"{len(result.findings)} | {result.applied} |")
    for result in results:
        if not result.findings and result.error is None:
            continue
        lines += ["", f"<details><summary><code>{result.venue_id or result.file}</code></summary>", ""]
        if result.error is not None:
            lines.append(f"- error: {_cell(result.error)}")
        lines += [f"- `{f.change.address}`: {_cell(f.reason)}" for f in result.findings]
        lines += ["", "</details>"]
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")

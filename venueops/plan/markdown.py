"""Plans and reconcile results as Markdown, for a pull-request comment or an issue (pure).

A plan: a heading naming the venue, the summary line in bold (and, in bold, any widening of access), the
changes as the text plan inside a collapsible block (``<details>``, a code block), the venue's timeline as
a Mermaid gantt (GitHub draws it), and what venueops owns.
"""

from __future__ import annotations

from venueops.plan.model import Plan
from venueops.plan.render import render_plan, summary_line

OWNERSHIP_NOTE = ("venueops owns the fields the venue file states (and those its stages fill in); fields the "
                  "file does not state are left as they are on OpenReview.")


def plan_markdown(plan: Plan, *, timeline: str | None = None) -> str:
    """``timeline``: the venue's Mermaid gantt (``venueops.timeline.mermaid``), shown under the summary."""
    lines = [f"### venueops plan: `{plan.venue_id}`", "", f"**{summary_line(plan)}**", "",
             f"Target: `{plan.target}` · file: `{plan.config_file}`", ""]
    widened = sorted({str(c["widens"]) for c in plan.access if c.get("widens")})
    if widened:
        lines += [f"**This plan widens access to {', '.join(widened)}.**", ""]
    if not plan.empty:
        count = len(plan.changes)
        lines += [f"<details><summary>{count} change{'s' if count != 1 else ''}</summary>", "", "```text",
                  _fenced(render_plan(plan)).rstrip("\n"), "```", "", "</details>", ""]
    if timeline:
        lines += ["<details><summary>Timeline</summary>", "", timeline.rstrip("\n"), "", "</details>", ""]
    lines.append(f"_{OWNERSHIP_NOTE}_")
    return "\n".join(lines) + "\n"


def _fenced(text: str) -> str:
    """Text safe inside a fenced block: a line of backticks cannot end the fence early."""
    return text.replace("```", "`\u200b``")

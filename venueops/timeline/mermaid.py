"""The timeline as a Mermaid gantt, which GitHub renders in markdown (plans posted to pull requests).

Dates are written in the venue's zone to the minute (``dateFormat YYYY-MM-DD HH:mm``); each stage is a bar
from its opening to its closing, a release a milestone, and "now" (the plan's moment) a milestone of its
own when given.
"""

from __future__ import annotations

import datetime as dt

from venueops.config.dates import parse_zone
from venueops.timeline.bars import Timeline

FORMAT = "%Y-%m-%d %H:%M"


def gantt(line: Timeline) -> str:
    zone = parse_zone(line.timezone)

    def when(ms: int) -> str:
        return dt.datetime.fromtimestamp(ms / 1000, tz=zone).strftime(FORMAT)

    out = ["```mermaid", "gantt", f"    title {line.venue_id} ({line.timezone})", "    dateFormat YYYY-MM-DD HH:mm",
           "    axisFormat %b %d"]
    # Mermaid's own today marker is the reader's clock, not the plan's moment: off, and "now" a milestone
    out.append("    todayMarker off")
    out.append("    section Stages")
    for index, bar in enumerate(line.bars):
        label = bar.label.replace(":", " ")
        out.append(f"    {label} :s{index}, {when(bar.opens)}, {when(max(bar.closes, bar.opens + 60_000))}")
    if line.releases:
        out.append("    section Releases")
        for index, (moment, what) in enumerate(line.releases):
            out.append(f"    {what.replace(':', ' ')} :milestone, r{index}, {when(moment)}, 0d")
    if line.now is not None:
        out.append("    section Now")
        out.append(f"    now :milestone, now, {when(line.now)}, 0d")
    out.append("```")
    return "\n".join(out) + "\n"

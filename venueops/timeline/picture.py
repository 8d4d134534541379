"""The timeline as a picture (SVG or PNG), drawn with matplotlib: one bar per stage from its opening to
its closing, a tick at its due date, a dashed line at each release moment and a red one at "now".

Deterministic: the same timeline gives the same SVG bytes (no creation date in the file, a fixed hash
salt for the ids matplotlib writes), so pictures can be committed and compared.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from venueops.config.dates import parse_zone
from venueops.errors import VenueOpsError
from venueops.timeline.bars import Timeline

FORMATS = ("svg", "png")


def draw(line: Timeline, out: Path) -> None:
    """Write the picture to ``out``; its suffix (.svg, .png) chooses the format."""
    suffix = out.suffix.lower().lstrip(".")
    if suffix not in FORMATS:
        raise VenueOpsError(f"{out}: the picture is written as .svg or .png, not {out.suffix or 'no suffix'}")
    out.write_bytes(picture(line, suffix))


def picture(line: Timeline, suffix: str) -> bytes:
    """The picture's bytes, as ``svg`` or ``png``."""
    import io

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt

    zone = parse_zone(line.timezone)

    def moment(ms: int) -> dt.datetime:
        return dt.datetime.fromtimestamp(ms / 1000, tz=zone)

    with matplotlib.rc_context({"svg.hashsalt": "venueops", "svg.fonttype": "none"}):
        figure, axes = plt.subplots(figsize=(11, 0.5 * len(line.bars) + 1.6))
        try:
            for row, bar in enumerate(line.bars):
                start, end = mdates.date2num(moment(bar.opens)), mdates.date2num(moment(bar.closes))
                axes.barh(row, max(end - start, 0.05), left=start, height=0.5, color="#4c78a8")
                if bar.due is not None:
                    axes.plot([mdates.date2num(moment(bar.due))] * 2, [row - 0.3, row + 0.3], color="#222", lw=1.5)
            for when, what in line.releases:
                axes.axvline(mdates.date2num(moment(when)), color="#e45756", ls="--", lw=1, label=what)
            if line.now is not None:
                axes.axvline(mdates.date2num(moment(line.now)), color="#d62728", lw=2, label="now")
            if line.releases or line.now is not None:
                axes.legend(loc="lower left", fontsize=7, framealpha=0.9)
            axes.set_yticks(range(len(line.bars)), [bar.label for bar in line.bars])
            axes.invert_yaxis()
            axes.xaxis_date(zone)
            axes.xaxis.set_major_formatter(mdates.DateFormatter("%b %d", tz=zone))
            axes.set_title(f"{line.venue_id} ({line.timezone})")
            axes.grid(axis="x", alpha=0.3)
            figure.tight_layout()
            metadata = {"Date": None} if suffix == "svg" else {"Software": None}
            buffer = io.BytesIO()
            figure.savefig(buffer, format=suffix, metadata=metadata)
            return buffer.getvalue()
        finally:
            plt.close(figure)

"""The rehearsal's report as one self-contained HTML page (``report.html.j2``): the verdict, the venue's
timeline picture (inline SVG), the differences table, every step with its e-mails, objects and probes,
and a small filter (by persona, differences only) that needs nothing from the network."""

from __future__ import annotations

from importlib import resources

import jinja2

from venueops.config.validate import VenueConfig
from venueops.rehearse.report import Report, role_words
from venueops.timeline.bars import timeline
from venueops.timeline.picture import picture


def html_report(report: Report, config: VenueConfig) -> str:
    template = resources.files("venueops.rehearse").joinpath("report.html.j2").read_text(encoding="utf-8")
    environment = jinja2.Environment(autoescape=True, keep_trailing_newline=True, undefined=jinja2.StrictUndefined)
    svg = picture(timeline(config), "svg").decode("utf-8")
    svg = svg[svg.index("<svg"):]  # inline: without the XML declaration and doctype
    return environment.from_string(template).render(report=report, timeline_svg=svg, role_words=role_words)

"""The pure pieces of export: dates written exactly in the venue's zone, live text kept verbatim."""

from __future__ import annotations

import json

from venueops.config.dates import parse_date
from venueops.config.validate import load_venue_text
from venueops.export.recognize import date_text, escape


def test_dates_are_written_short_and_read_back_exactly() -> None:
    due = parse_date("2026-03-01 23:59", "AoE", end_of_day=True).ms
    start = parse_date("2026-02-01", "AoE", end_of_day=False).ms
    odd = parse_date("2026-02-01 10:15:30", "UTC", end_of_day=False).ms
    assert date_text(due, "AoE", deadline=True) == "2026-03-01 23:59"
    assert date_text(start, "AoE", deadline=False) == "2026-02-01"
    assert date_text(start, "UTC", deadline=False) == "2026-02-01 12:00"
    assert parse_date(date_text(odd, "AoE", deadline=False), "AoE", end_of_day=False).ms == odd
    # a date the workflow computed (``now + 3.5 days``) keeps its milliseconds: rounded only when exact
    precise = odd + 403
    assert date_text(precise, "UTC", deadline=True) == "2026-02-01 10:15:30.403"
    assert parse_date("2026-02-01 10:15:30.403", "UTC", end_of_day=True).ms == precise
    assert parse_date("2026-02-01T10:15:30.4Z", "AoE", end_of_day=True).ms == odd + 400


def test_template_markers_in_live_text_pass_through_verbatim() -> None:
    text = "Dear {{fullname}}, see {% endraw %} and {# this #}"
    spec = {"venue": {"id": "T.cc/2026/W", "name": escape(text)}, "roles": {"program_chairs": {}},
            "stages": {"submission": {"start": "2026-01-01", "due": "2026-02-01"}}}
    config = load_venue_text(json.dumps(spec))
    assert config.spec.venue.name == text
    assert escape("plain text") == "plain text"

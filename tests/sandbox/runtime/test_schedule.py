"""Date processes read into firings: expressions over the invitation, delays, cron, log ids."""

from __future__ import annotations

from venueops.sandbox.runtime.schedule import Firing, evaluate, firings, next_cron

DAY = 86_400_000
INVITATION = {"id": "V/-/Official_Review", "cdate": 1_000, "duedate": 10 * DAY, "mdate": 5_000, "tcdate": 0,
              "edit": {"invitation": {"cdate": 2 * DAY}}}


def test_expressions_read_the_invitation() -> None:
    assert evaluate("#{4/duedate} + 86400000", INVITATION) == 11 * DAY
    assert evaluate("#{4/mdate} + 2000", INVITATION) == 7_000
    assert evaluate("#{4/edit/invitation/cdate}", INVITATION) == 2 * DAY
    assert evaluate("#{4/duedate} - 1000 + 10", INVITATION) == 10 * DAY - 990
    assert evaluate(1234, INVITATION) == 1234
    for unreadable in ("#{4/expdate} + 1", "#{4/duedate} +", "now", True, None, "#{4/edit}"):
        assert evaluate(unreadable, INVITATION) is None


def test_firings_and_their_log_ids() -> None:
    invitation = {**INVITATION, "dateprocesses": [{"dates": ["#{4/cdate}", "#{4/mdate} + 2000", "#{4/expdate}"],
                                                   "script": "a"},
                                                  {"delay": 500, "script": "b"},
                                                  {"cron": "0 0 * * *", "script": "c"}]}
    found = firings(invitation)
    assert found == [Firing(1_000, "V/-/Official_Review", 0, 0), Firing(7_000, "V/-/Official_Review", 0, 1),
                     Firing(5_500, "V/-/Official_Review", 1, 0), Firing(DAY, "V/-/Official_Review", 2, 0)]
    assert found[1].log_id == "V/-/Official_Review-0-1"


def test_cron_walks_its_occurrences_within_its_window() -> None:
    entry = {"cron": "0 0 * * *", "startDate": 3 * DAY + 5, "endDate": 5 * DAY}
    assert next_cron(entry, INVITATION, None) == 4 * DAY
    assert next_cron(entry, INVITATION, 4 * DAY) == 5 * DAY
    assert next_cron(entry, INVITATION, 5 * DAY) is None
    assert next_cron({"cron": "not a cron"}, INVITATION, None) is None

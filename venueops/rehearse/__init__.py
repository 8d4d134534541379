"""The dress rehearsal (``venueops rehearse``): a venue file played through its whole timeline on a fresh
sandbox by synthetic people, with what each role can actually read and post probed at every moment of
the access model and compared with what the model predicts.

    cast.py     the synthetic people, their papers and committees, and the personas probed (pure)
    forms.py    a valid synthetic note for an invitation's template: content, readers, signature (pure)
    script.py   the moments to play and probe, and what happens at each (pure)
    predict.py  what the access model says a persona may do at a moment (pure)
    probe.py    what a persona can actually do, asked with real requests as that person
    play.py     the run: sandbox, apply, accounts, the clock, actions, probes → a Report
    report.py   the report's values, its JSON and its text;  html.py  the self-contained HTML page
"""

from venueops.rehearse.play import RehearsalOptions, rehearse
from venueops.rehearse.report import Report

__all__ = ["RehearsalOptions", "Report", "rehearse"]

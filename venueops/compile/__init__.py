"""The stage compiler: a validated venue file → the OpenReview objects that realise it.

What it is: a pure function (``compile_venue``) from a ``VenueConfig`` to a ``DesiredState``, the
groups and invitations OpenReview's own venue builder (openreview-py's ``openreview.venue``) would
post for the same choices, in dependency order, each carrying the ``file:line`` it came from.
Same input, byte-identical output: nothing reads the clock or draws random numbers.

What it is not: it never talks to OpenReview, and it does not decide what to change (the planner
does). Per-paper objects (``V/Submission1/...``) are the server's and are not produced here.

Layout: ``names.py`` (id conventions), ``context.py`` (what every builder needs), ``forms.py``
(default forms and form changes), ``venue.py`` (meta invitation and venue group), ``roles.py``
(committee groups), ``stages/`` (one module per stage), ``raw.py`` (raw objects), ``compile.py``.
"""

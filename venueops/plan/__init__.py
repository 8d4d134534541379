"""Planning: compare the desired objects with the live ones and decide the edits.

What it is: pure functions from (desired state, live objects, options) to a ``Plan``: per object an
action (create, update, expire, delete, or nothing), the fields that differ, the reason, the version
token the apply will check, and the exact edit payload to post. A plan is plain data with a JSON form
(the contract renderers and ``apply`` read).

What it is not: it reads nothing itself (``venueops.state`` reads the live objects) and posts nothing
(``venueops.apply`` does).
"""

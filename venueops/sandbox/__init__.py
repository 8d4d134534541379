"""A local OpenReview API v2 server backed by SQLite: the sandbox.

What it is: a server that speaks OpenReview API v2 (the parts venues use) well enough that the
official openreview-py client works against it unchanged. venueops uses it as the embedded default
for trying a venue and as the server its tests run on.

What it is not: part of venueops' model. It imports nothing from venueops outside this package
and shares no types with the tool; it only speaks OpenReview's protocol.

Layout (moto's: routes, request handling and rules apart; notes/aesthetics.md §1, §8):

    server.py     Sandbox (threaded, for tests) and serve() (foreground, for the CLI)
    app.py        ASGI app: URL table, error bodies, request counting
    faults.py     the fault switch: chosen API requests fail (error status, dropped connection)
    responses.py  one handler per endpoint: parse → one Backend method → JSON envelope
    params.py     query parameters each endpoint accepts
    control.py    /_sandbox/ control plane (health, reset, clock, stats, request counts, batch, faults)
    backend.py    Backend: one method per API operation, composed of the services below (kept
                  private: handlers call Backend methods only; tests/sandbox/test_layout.py checks)
    edits.py      the edit pipeline for notes, groups and invitations
    templates.py  invitation template checks (param specifiers, constants)
    specifiers.py rules for the specifiers themselves, checked when an invitation is saved
    regexes.py    template regexes in ECMAScript syntax (the dialect ajv runs them in)
    dollar.py     ${N/path} references
    inference.py  folding edits into entities
    queries.py    list/fetch semantics (filters, readers, sort, paging), over named Store methods
    edges.py      edges and tags
    users.py      registration, activation, login, profiles;  throttle.py  failed-login backoff
    access.py     callers, transitive membership, readers, signatories, invitees
    shapes.py     request body shapes;  ids.py  identifier rules;  views.py  what a caller sees
    store.py      SQLite: the only module with SQL, one named method per statement, indexes
    sql.py        WHERE-clause and id-prefix helpers, used by store.py alone
    clock.py      the server's "now";  auth.py  passwords and JWTs
    bootstrap.py  what a new database holds
    errors.py     OpenReview's error names, status codes and bodies

Choices made where OpenReview's sources are silent are marked ``FIDELITY:`` in the code.
"""

from venueops.sandbox.server import DEFAULT_ROOT_PASSWORD, Sandbox

__all__ = ["DEFAULT_ROOT_PASSWORD", "Sandbox"]

"""What the access model predicts a persona may do at a moment.

A persona holds several of the model's roles at once (the paper's reviewer is also one of all the
reviewers, logged in, and part of the public); it may do what any of them may. Two roles depend on what
happened in the play: the paper's committee roles (``*_assigned``) once the chairs have assigned it,
``reviewers_submitted`` once the persona has reviewed the read paper, and
``signer`` of a stage once it has posted there. Every condition counts as granted: the rehearsal's
writers choose every reader they may (``forms``), and signing anonymously or with one's own profile
both let the person post.
"""

from __future__ import annotations

from collections.abc import Iterable

from venueops.access.model import AccessMatrix
from venueops.access.roles import SIGNER


def roles_now(base: frozenset[str], *, assigned: bool, reviewed: bool) -> frozenset[str]:
    """The roles a persona holds now: a paper's committee roles once the chairs have assigned it, and
    ``reviewers_submitted`` once it has reviewed."""
    roles = base if assigned else frozenset(r for r in base if not r.endswith("_assigned"))
    return roles | {"reviewers_submitted"} if reviewed and "reviewers_assigned" in roles else roles


def predicted(matrix: AccessMatrix, roles: frozenset[str], what: str, verb: str, moment: int,
              signed: Iterable[str] = ()) -> bool:
    """Whether ``roles`` may ``verb`` ``what`` at ``moment``; ``signed``: the stages whose notes the persona
    wrote on the read paper (it reads those as their signer)."""
    signed_here = what in set(signed)
    return any(grant.what == what and grant.verb == verb and grant.holds_at(moment)
               and (grant.role in roles or (grant.role == SIGNER and signed_here))
               for grant in matrix.grants)

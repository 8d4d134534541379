"""Who can see and do what, and when: the access model derived from a venue's compiled objects.

``roles`` (a compiled reader, invitee or signature entry → a role, by stated rules), ``model`` (grants and
the matrix), ``derive`` (the matrix of a venue file, compiled before and at each release), ``render``
(the matrix for people).
"""

from venueops.access.derive import access_matrix
from venueops.access.model import AccessMatrix, Grant

__all__ = ["AccessMatrix", "Grant", "access_matrix"]

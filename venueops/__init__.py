"""venueops: infrastructure-as-code for OpenReview venues.

A venue is a YAML file in git; ``venueops plan`` diffs it against the live OpenReview API v2 and
``venueops apply`` posts the minimal set of edits. ``venueops sandbox`` is a local API v2 server.
"""

__version__ = "0.1.0"
__all__ = ["__version__"]

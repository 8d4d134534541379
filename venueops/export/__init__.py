"""``venueops export``: a live venue that venueops applied → a venue file whose plan is empty.

Steps, each in its own module: ``read`` (the venue group, then its inventory's objects by id),
``recognize`` (a first venue file from what the objects say), ``fit`` (options and forms adjusted until
the file compiles to the live objects), ``emit`` (YAML text with comments). The round trip is checked
with the plan's own comparison before anything is written.
"""

from venueops.export.run import Exported, export_venue

__all__ = ["Exported", "export_venue"]

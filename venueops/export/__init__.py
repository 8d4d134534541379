"""``venueops export``: a live venue → a venue file whose plan is empty (or that says why not).

Steps, each in its own module: ``read`` (the venue group, then its inventory's objects by id, or, for a
venue to adopt, its venue-level objects found from the group), ``recognize`` (a first venue file from
what the objects say), ``fit`` (options and forms adjusted until the file compiles to the live objects;
its helpers in ``json_values`` and ``options``), ``residue`` (what no option reproduces, as
``overrides``), ``emit`` (YAML text with comments). ``run`` puts them in order and checks the round trip
with the plan's own comparison before anything is written.
"""

from venueops.export.run import Exported, export_venue

__all__ = ["Exported", "export_venue"]

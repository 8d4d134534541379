"""``venueops reconcile``: keep many venues where their files say, on a schedule.

``findings`` says why each planned change is there (due, drift and who made it, or the file);
``run`` plans each venue as of now through the engine and, in heal mode, applies what it should.
"""

from venueops.reconcile.findings import Finding
from venueops.reconcile.run import VenueResult, exit_code, reconcile_all, reconcile_venue, venue_files

__all__ = ["Finding", "VenueResult", "exit_code", "reconcile_all", "reconcile_venue", "venue_files"]

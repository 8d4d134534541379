"""``python -m venueops`` runs the command line."""

from venueops.cli import main

main()

"""Venue files as text: ``venueops fmt`` (the canonical layout) and ``venueops new`` (next year's
edition of a venue). Both keep comments (ruamel.yaml round trip) and never change what a file means
beyond what they are asked to."""

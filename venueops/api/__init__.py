"""Talking to OpenReview API v2 (``client.py``): the tool's only HTTP code."""

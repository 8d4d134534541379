"""Applying a plan: check that nothing moved since it was made, then post its edits in order.

What it is: the only part of venueops that writes to OpenReview. It posts exactly the edits a
``Plan`` holds (``$now`` becomes the moment of posting), through the client that may make each one
(the venue's, or a super user's for what support provisions), stops at the first failure, and
reports every change as applied, failed or not attempted.

What it is not: it decides nothing; the planner did. Re-planning after an apply is the caller's.
"""

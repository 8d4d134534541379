"""Where plans are made and applied: an OpenReview server (``server``) or the embedded sandbox
(``sandbox``, with the chairs' sandbox accounts in ``sandbox_accounts``), each opened as a ``Target``
(``target``) that the engine reads and posts through."""

from venueops.targets.target import SANDBOX_LOGIN, Target, TargetError

__all__ = ["SANDBOX_LOGIN", "Target", "TargetError"]

"""Small helpers shared by the sandbox tests."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import openreview
import pytest


def api_error(call: Callable[[], Any]) -> dict[str, Any]:
    """The error body openreview-py raised for ``call()`` (fails the test if nothing was raised)."""
    with pytest.raises(openreview.OpenReviewException) as raised:
        call()
    error = raised.value.args[0]
    assert isinstance(error, dict), error
    return error

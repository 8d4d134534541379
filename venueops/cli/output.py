"""What the plan and apply commands share for output: colours, saved plan files, error exits."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from venueops.errors import ConfigError, VenueOpsError
from venueops.plan.model import Action
from venueops.plan.render import plain

PROGRESS_THRESHOLD = 10  # changes; more than this shows a progress bar on a terminal


def write_plan(path: Path, text: str) -> None:
    """Write atomically: a half-written plan must never be applied."""
    partial = path.with_name(path.name + ".partial")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial.write_text(text, encoding="utf-8")
        partial.replace(path)
    except OSError as error:
        with contextlib.suppress(OSError):
            partial.unlink(missing_ok=True)
        raise VenueOpsError(f"cannot save the plan to {path}: {error.strerror or error}") from None


def terminal_style() -> Callable[[str, Any], str]:
    """Colour the symbols on a terminal (not when NO_COLOR is set or output is redirected)."""
    if os.environ.get("NO_COLOR") or not sys.stdout.isatty():
        return plain
    colours = {Action.CREATE: "green", Action.UPDATE: "yellow", Action.EXPIRE: "magenta", Action.DELETE: "red"}

    def style(text: str, action: Any) -> str:
        return click.style(text, fg=colours.get(action)) if action is not None else text

    return style


def fail(error: VenueOpsError, *, exit_code: int = 1) -> None:
    if isinstance(error, ConfigError):
        for diagnostic in error.diagnostics:
            click.echo(diagnostic.render(), err=True)
    else:
        click.echo(f"Error: {error}", err=True)
    sys.exit(exit_code)

"""The ``venueops`` command line: arguments in, calls out, exit codes back.

Exit codes: 0 success, 1 error (``plan --detailed-exitcode``: 2 when there are changes). No
traceback reaches a user unless ``--debug`` is given. Each command group lives in its own module.
"""

from __future__ import annotations

import sys

import click

from venueops.cli import (  # noqa: F401  (they register)
    access_commands,
    config_commands,
    export_commands,
    format_commands,
    lock_commands,
    plan_commands,
    reconcile_commands,
    rehearse_commands,
    sandbox_commands,
    timeline_commands,
)
from venueops.cli.base import cli
from venueops.errors import VenueOpsError

__all__ = ["cli", "main"]


def main() -> None:
    """Entry point: run the CLI, turning unexpected errors into one line unless --debug."""
    debug = "--debug" in sys.argv[1:]
    try:
        cli.main(standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(1)
    except click.ClickException as error:
        error.show()
        sys.exit(error.exit_code)
    except KeyboardInterrupt:
        sys.exit(130)
    except VenueOpsError as error:
        if debug:
            raise
        click.echo(f"Error: {error}", err=True)
        sys.exit(1)
    except Exception as error:
        if debug:
            raise
        click.echo(f"Error: {type(error).__name__}: {error} (run with --debug for details)", err=True)
        sys.exit(1)
    sys.exit(0)

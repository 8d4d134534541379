"""``reconcile``: keep many venues where their files say, from a scheduled job.

    venueops reconcile PATH... (--sandbox | --baseurl URL) [--mode detect|heal|warn] [--on-drift report|restore]
                       [--jobs N] [--report FILE.json]

One line per venue as it finishes (and its findings), then a summary. Exit 0 when every venue is in
sync (or was healed to be), 2 when changes or drift are left, 1 on any error.
"""

from __future__ import annotations

import contextlib
import sys
import threading
from pathlib import Path
from typing import Any

import click

from venueops.cli.arguments import server_options
from venueops.cli.base import cli
from venueops.cli.output import fail
from venueops.cli.plan_commands import open_target
from venueops.errors import VenueOpsError


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@server_options
@click.option("--mode", type=click.Choice(["detect", "heal", "warn"]), default="detect", show_default=True,
              help="detect: report only; heal: apply what is due and what the files say; warn: report, and "
                   "tell each venue's program chairs about drift (once per drift).")
@click.option("--on-drift", type=click.Choice(["report", "restore"]), default="report", show_default=True,
              help="In heal mode, what to do with a change someone else made to a field venueops owns.")
@click.option("--jobs", type=click.IntRange(1, 64), default=4, show_default=True, help="Venues at once.")
@click.option("--at", "at", default=None, metavar="DATE",
              help="Reconcile as of this date (UTC unless it says its zone) instead of now.")
@click.option("--format", "output_format", type=click.Choice(["text", "markdown"]), default="text",
              show_default=True, help="markdown: the summary and findings for an issue or pull-request comment.")
@click.option("--report", "report_file", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Also write the results as JSON (format_version 1).")
def reconcile(paths: tuple[Path, ...], baseurl: str | None, use_sandbox: bool, sandbox_db: Path | None, mode: str,
              on_drift: str, jobs: int, at: str | None, output_format: str, report_file: Path | None) -> None:
    """Plan every venue file under PATHS as of now; in heal mode, apply what is due.

    Each change carries its reason: due (a release whose moment passed), drift (who changed it and
    when, from the object's edit history), or the file (it says something the venue lacks).
    """
    from venueops.reconcile.report import iter_lines, report_document, report_markdown, summary_table, write_report
    from venueops.reconcile.run import exit_code, reconcile_all, venue_files

    moment = _moment(at)
    files = venue_files(paths)
    if not files:
        fail(VenueOpsError("no venue files (*.yaml, *.yml) under the paths given"))
    printing = threading.Lock()
    bar = _progress(len(files)) if output_format == "text" and sys.stderr.isatty() else None

    def show(result: object) -> None:
        with printing:
            if output_format != "markdown":  # markdown: the whole report is printed at the end
                for line in iter_lines(result):  # type: ignore[arg-type]
                    click.echo(line)
            if bar is not None:
                bar.advance(bar.task_ids[0])

    try:
        with open_target(baseurl, use_sandbox, sandbox_db, bootstrap=False) as target, \
                bar if bar is not None else contextlib.nullcontext():
            results = reconcile_all(files, target, mode=mode, on_drift=on_drift, jobs=jobs, at=moment,
                                    on_result=show)
            label = target.label
    except click.ClickException:
        raise
    except VenueOpsError as error:
        fail(error)
    if output_format == "markdown":
        click.echo(report_markdown(results, mode=mode), nl=False)
    else:
        click.echo("\n" + summary_table(results), nl=False)
    if report_file is not None:
        try:
            write_report(report_file, report_document(results, mode=mode, on_drift=on_drift, target=label))
        except VenueOpsError as error:
            fail(error)
    sys.exit(exit_code(results))


def _progress(total: int) -> Any:
    """A progress bar on the terminal's stderr (lines for each venue still go to stdout above it); in
    CI logs, where stderr is no terminal, only the lines."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    bar = Progress(TextColumn("Reconciling"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                   console=Console(stderr=True), transient=True)
    bar.add_task("venues", total=total)
    return bar


def _moment(at: str | None) -> int | None:
    if at is None:
        return None
    from venueops.config.dates import DateError, parse_date

    try:
        return parse_date(at, "UTC", end_of_day=False).ms
    except DateError as error:
        raise click.BadParameter(str(error), param_hint="--at") from None

"""``rehearse``: play a venue file's whole timeline on a fresh sandbox and check the access model.

    venueops rehearse FILE [--submissions N] [--seed S] [--format text|json] [--html PAGE] [--json FILE]
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from venueops.cli.base import cli
from venueops.cli.output import fail


@cli.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--submissions", type=click.IntRange(2, 5000), default=20, show_default=True,
              help="How many synthetic papers are submitted.")
@click.option("--seed", type=int, default=0, show_default=True, help="Chooses the synthetic people's names.")
@click.option("--format", "output", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="What is printed on stdout.")
@click.option("--html", "html_page", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Also write the report as a self-contained HTML page.")
@click.option("--json", "json_file", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Also write the report as JSON.")
def rehearse(file: Path, submissions: int, seed: int, output: str, html_page: Path | None,
             json_file: Path | None) -> None:
    """Dress rehearsal: apply FILE to a fresh, throw-away sandbox, create synthetic people for every role,
    and play the timeline (authors submit, reviewers review, area chairs meta-review, chairs decide,
    comments flow) with the venue's own processes running. At each moment of the access model, what
    each role can actually read and post is probed with real requests as those people and compared
    with `venueops access`.

    Exit status 1 when anything differs from the prediction, when something kept the rehearsal from
    telling, or when the file breaks its policies (then nothing is played).
    """
    from venueops.config.validate import load_venue
    from venueops.errors import VenueOpsError
    from venueops.rehearse import RehearsalOptions
    from venueops.rehearse import rehearse as play
    from venueops.rehearse.html import html_report
    from venueops.rehearse.report import text_report

    try:
        config = load_venue(file)
        with _progress() as (bar, task):
            def progress(label: str, index: int, total: int) -> None:
                bar.update(task, completed=index, total=total, description=f"Rehearsing {label}")

            report = play(config, RehearsalOptions(submissions=submissions, seed=seed), progress=progress)
    except VenueOpsError as error:
        fail(error)
        return
    document = json.dumps(report.to_json(), indent=2, ensure_ascii=False) + "\n"
    try:
        if json_file is not None:
            json_file.write_text(document, encoding="utf-8")
        if html_page is not None:
            html_page.write_text(html_report(report, config), encoding="utf-8")
    except OSError as error:
        fail(VenueOpsError(f"cannot write the report: {error.strerror or error}: {error.filename}"))
    click.echo(document if output == "json" else text_report(report), nl=False)
    sys.exit(0 if report.ok else 1)


class _progress:
    """A progress line on stderr naming the moment being played (rich; only on a terminal)."""

    def __enter__(self) -> tuple[Any, Any]:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        self.bar = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                            TimeElapsedColumn(), console=Console(stderr=True), transient=True)
        task = self.bar.add_task("Rehearsing: setting up the sandbox", total=None)
        self.bar.start()
        return self.bar, task

    def __exit__(self, *exc: object) -> None:
        self.bar.stop()

"""``fmt`` and ``new``: venue files as text (their layout, and next year's edition), no server involved."""

from __future__ import annotations

import difflib
import os
import re
import shutil
import sys
import tempfile
from pathlib import Path

import click

from venueops.cli.base import cli
from venueops.cli.output import fail
from venueops.config.models import VENUE_ID_PATTERN
from venueops.diagnostics import Diagnostic, Location
from venueops.errors import ConfigError, VenueOpsError


@cli.command("fmt")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--check", is_flag=True,
              help="Change nothing: print a diff for each file not in the canonical layout; exit 1 if there is one.")
def fmt(files: tuple[Path, ...], check: bool) -> None:
    """Rewrite venue files in the canonical layout, comments kept.

    Keys in a canonical order (the schema's; roles top down; a stage's dates first), dates in one
    written form, 2-space indentation, lists and stages in the user's order; what a file means never
    changes (fmt checks it, and refuses otherwise). A directory stands for its *.yaml and *.yml
    files, recursively. Files are rewritten only when they change; if one cannot be read or
    formatted, nothing is written. Exit status 0, or 1 on an error (with --check: also when a file
    is not formatted).
    """
    from venueops.format.formatter import format_text

    paths = _venue_files(files)
    results: list[tuple[Path, str, str]] = []
    errors = []
    for path in paths:
        try:
            text = _read(path)
            results.append((path, text, format_text(text, str(path))))
        except ConfigError as error:
            errors += error.diagnostics
        except VenueOpsError as error:
            errors.append(Diagnostic(str(error), Location(str(path), 1, 1)))
    if errors:
        for diagnostic in errors:
            click.echo(diagnostic.render(), err=True)
        click.echo(f"nothing written: {len({d.location.file for d in errors if d.location})} file(s) could not "
                   "be formatted", err=True)
        sys.exit(1)
    changed = [(path, old, new) for path, old, new in results if old != new]
    for path, old, new in changed:
        if check:
            click.echo("".join(difflib.unified_diff(old.splitlines(keepends=True), new.splitlines(keepends=True),
                                                    f"{path} (as written)", f"{path} (formatted)")), nl=False)
            click.echo(f"would reformat {path}", err=True)
        else:
            _write(path, new)
            click.echo(f"reformatted {path}")
    verb = "would be reformatted" if check else "reformatted"
    click.echo(f"{len(changed)} file(s) {verb}, {len(results) - len(changed)} already formatted", err=True)
    if check and changed:
        sys.exit(1)


@cli.command("new")
@click.option("--from", "source", required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="This edition's venue file.")
@click.option("--id", "venue_id", required=True, metavar="VENUE_ID", help="The new edition's venue id.")
@click.option("--shift-dates", "shift", required=True, metavar="AMOUNT",
              help="Move every date by 1y, 6m, 2w, 10d, ... (-1y goes back): by the whole weeks nearest to it, "
                   "so weekdays are kept, unless --exact.")
@click.option("--exact", is_flag=True, help="Move dates by the calendar amount (2026-03-01 + 1y = 2027-03-01).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write the new file here [default: standard output].")
@click.option("--force", is_flag=True, help="Overwrite --output if it exists.")
def new(source: Path, venue_id: str, shift: str, exact: bool, output: Path | None, force: bool) -> None:
    """Write next year's edition of a venue file: new id, dates moved, comments and layout kept.

    The old id is replaced wherever the file writes it (ids derived from it too). What cannot be
    moved is listed on standard error by path and line, and left as written: free-text dates
    (venue.date, venue.start_date), years in names (short_name: ICDR 2027), dates in raw objects.
    The result is validated before it is written.
    """
    from venueops.format.series import Shift, new_edition

    try:
        amount = Shift.parse(shift)
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="--shift-dates") from None
    if output is not None and output.exists() and not force:
        raise click.UsageError(f"{output} exists: give --force to overwrite it")
    if not re.fullmatch(VENUE_ID_PATTERN, venue_id):
        raise click.BadParameter(f"{venue_id!r} is not a venue id: use letters, digits, '.', '_' and '-', in parts "
                                 "separated by '/'", param_hint="--id")
    try:
        edition = new_edition(_read(source), str(source), venue_id, amount, exact=exact,
                              output_name=str(output) if output else None)
    except VenueOpsError as error:
        fail(error)
    for line in edition.summary():
        click.echo(line, err=True)
    if output is None:
        click.echo(edition.text, nl=False)
    else:
        _write(output, edition.text)
        click.echo(f"wrote {output}", err=True)


def _venue_files(arguments: tuple[Path, ...]) -> list[Path]:
    found: list[Path] = []
    for path in arguments:
        if path.is_dir():
            found += sorted(p for p in path.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file())
        else:
            found.append(path)
    return list(dict.fromkeys(found))


def _read(path: Path) -> str:
    from venueops.config.loader import load_text

    try:
        raw = path.read_bytes()
    except OSError as error:
        raise VenueOpsError(f"cannot read {path}: {error.strerror or error}") from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        load_text(raw, str(path))  # raises, with the line of the first byte that is not UTF-8
        raise


def _write(path: Path, text: str) -> None:
    """Atomically (a file half written is worse than none), keeping the file's permissions."""
    directory = path.parent if str(path.parent) else Path(".")
    handle, partial = tempfile.mkstemp(prefix=f".{path.name}.", dir=directory)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            out.write(text)
        if path.exists():
            shutil.copymode(path, partial)
        else:
            umask = os.umask(0o22)
            os.umask(umask)
            os.chmod(partial, 0o666 & ~umask)
        os.replace(partial, path)
    except OSError as error:
        Path(partial).unlink(missing_ok=True)
        raise VenueOpsError(f"cannot write {path}: {error.strerror or error}") from None

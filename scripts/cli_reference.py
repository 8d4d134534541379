"""Write the command-line reference of the documentation site (docs/reference/cli.md) from click.

    python scripts/cli_reference.py

Every command of ``venueops.cli.cli`` (groups' subcommands included, in click's order) gets its usage line,
its help text and its arguments and options, each option as ``venueops COMMAND --help`` shows it (flags,
metavar, help, default). Nothing depends on the terminal or the machine, so the same code gives the same
page; ``tests/test_docs.py`` fails when the committed page is not this output.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from pathlib import Path

import click

from venueops.cli import cli

ROOT = Path(__file__).resolve().parents[1]
PAGE = ROOT / "docs" / "reference" / "cli.md"
COMMAND = "python scripts/cli_reference.py"

HEADER = f"""# Command-line reference

Generated from the command line's own definitions by `{COMMAND}` (checked by `tests/test_docs.py`); do
not edit by hand. Each command's `--help` (or `-h`) prints the same text.
"""


def commands(command: click.Command, ctx: click.Context) -> Iterator[tuple[click.Command, click.Context]]:
    """The command and, for a group, every command below it, depth first in click's order (hidden ones left out)."""
    yield command, ctx
    if isinstance(command, click.Group):
        for name in command.list_commands(ctx):
            sub = command.get_command(ctx, name)
            if sub is not None and not sub.hidden:
                yield from commands(sub, context(sub, name, ctx))


def context(command: click.Command, name: str, parent: click.Context | None = None) -> click.Context:
    """The command's context as running it makes it (its context settings: ``-h`` for help), parsing no argument."""
    return command.make_context(name, [], parent=parent, resilient_parsing=True)


def help_text(command: click.Command) -> str:
    """The command's help as paragraphs, as click prints it: text after ``\\f`` is for code, ``\\b`` lines dropped."""
    text = inspect.cleandoc(command.help or "").split("\f", 1)[0]
    return "\n".join(line for line in text.splitlines() if line.strip() != "\b").strip()


def option_lines(command: click.Command, ctx: click.Context) -> list[str]:
    lines = []
    for param in command.get_params(ctx):
        if not isinstance(param, click.Option) or param.hidden:
            continue
        record = param.get_help_record(ctx)
        if record is None:
            continue
        flags, text = record
        lines.append(f"- `{flags}`: {' '.join(text.split())}")
    return lines


def argument_lines(command: click.Command, ctx: click.Context) -> list[str]:
    lines = []
    for param in command.params:
        if isinstance(param, click.Argument):
            many = " (one or more)" if param.nargs == -1 else ""
            optional = "" if param.required else " (optional)"
            lines.append(f"- `{param.make_metavar(ctx)}`{optional}{many}")
    return lines


def section(command: click.Command, ctx: click.Context) -> str:
    path = ctx.command_path
    level = "#" * (2 + max(path.count(" ") - 1, 0))  # venueops and its commands ##, a group's commands ###
    usage = " ".join([path, *command.collect_usage_pieces(ctx)])
    parts = [f"{level} `{path}`", "", "```", usage, "```", ""]
    if help_text(command):
        parts += [help_text(command), ""]
    if arguments := argument_lines(command, ctx):
        parts += ["Arguments:", "", *arguments, ""]
    if options := option_lines(command, ctx):
        parts += ["Options:", "", *options, ""]
    if isinstance(command, click.Group):
        subs = [(sub, sub_ctx) for sub, sub_ctx in commands(command, ctx) if sub_ctx.parent is ctx]
        parts += ["Commands:", ""]
        parts += [f"- [`{sub_ctx.info_name}`](#{anchor(sub_ctx)}): {sub.get_short_help_str(limit=500)}"
                  for sub, sub_ctx in subs]
        parts.append("")
    return "\n".join(parts)


def anchor(ctx: click.Context) -> str:
    """The id mkdocs' table of contents gives the command's heading (`venueops sandbox serve`)."""
    return ctx.command_path.replace(" ", "-")


def markdown() -> str:
    root = context(cli, "venueops")
    sections = [section(command, ctx) for command, ctx in commands(cli, root)]
    return "\n".join([HEADER, *sections]).rstrip("\n") + "\n"


def main() -> None:
    PAGE.parent.mkdir(parents=True, exist_ok=True)
    PAGE.write_text(markdown())
    print(f"{PAGE.relative_to(ROOT)} rewritten")


if __name__ == "__main__":
    main()

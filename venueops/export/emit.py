"""The venue file as YAML text: the schema modeline, what was recognized, then the sections."""

from __future__ import annotations

import textwrap
from typing import Any

import yaml

from venueops.config.models import SCHEMA_ID


class _Dumper(yaml.SafeDumper):
    """Block style for mappings, flow style for short lists of scalars, multi-line text as ``|``."""


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


def _list(dumper: yaml.SafeDumper, value: list[Any]) -> yaml.SequenceNode:
    flow = all(isinstance(v, (str, int, float, bool)) and "\n" not in str(v) for v in value) and \
        sum(len(str(v)) + 2 for v in value) < 90
    return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=flow)


_Dumper.add_representer(str, _text)
_Dumper.add_representer(list, _list)


def dump(value: Any) -> str:
    return yaml.dump(value, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=110)


ADOPTION = ("# The venue has no venueops inventory yet: the first `venueops apply` of this file records one (the",
            "# venue group's content.venueops_inventory, the ids of the objects below) and posts nothing else.")


def venue_file_text(spec: dict[str, Any], *, recognized: list[str], raw_reasons: dict[str, str],
                    adopted: bool = False, left_out: list[str] | None = None,
                    unrecognized: list[str] | None = None, unlisted: list[str] | None = None) -> str:
    """The file's text: modeline, a header naming what was recognized, each section, and a comment above
    each raw object and each override saying why no stage expresses it."""
    lines = [f"# yaml-language-server: $schema={SCHEMA_ID}", "#",
             f"# Exported from the live venue {spec['venue']['id']} by `venueops export`.",
             *textwrap.wrap("Recognized: " + (", ".join(recognized) if recognized else "nothing beyond the venue")
                            + ".", width=108, initial_indent="# ", subsequent_indent="#   "),
             f"# Dates are written in the venue's zone ({spec['venue']['timezone']}).",
             *(ADOPTION if adopted else ())]
    if unlisted:
        lines.append("# Members not listed (left to recruitment and assignments; list them under roles.<role>.members "
                     "to manage them): " + ", ".join(unlisted) + ".")
    if unrecognized:
        lines.append("# Found but not recognized as stages (no venue file can say their dates; their objects are "
                     "raw below):")
        lines.extend(f"#   {line}" for line in unrecognized)
    if left_out:
        lines.append("# Not in this file (venueops' checks refuse them as they are; "
                     + ("left unmanaged on the server):" if adopted else "the plan would retire them):"))
        lines.extend(f"#   {line}" for line in left_out)
    lines.append("")
    for section in ("venue", "roles", "stages"):
        lines.append(dump({section: spec[section]}).rstrip("\n"))
        lines.append("")
    for section in ("groups", "invitations"):
        objects = spec.get(section) or []
        if not objects:
            continue
        lines.append(f"{section}:")
        for obj in objects:
            lines.append(f"  # {obj['id']}: {raw_reasons.get(obj['id'], 'no stage produces it')}")
            body = dump([obj]).rstrip("\n")
            lines.extend("  " + line for line in body.splitlines())
        lines.append("")
    if spec.get("policies"):
        lines.append("# The live venue does what these built-in policies forbid: allowed, so that the file says so.")
        lines.append(dump({"policies": spec["policies"]}).rstrip("\n"))
        lines.append("")
    if spec.get("overrides"):
        lines.append("overrides:")
        for entry in spec["overrides"]:
            lines.append(f"  # {entry['object']}: {raw_reasons.get(entry['object'], 'departs from its stage')}")
            lines.extend("  " + line for line in dump([entry]).rstrip("\n").splitlines())
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"

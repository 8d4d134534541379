"""Jinja2 in string values (never in YAML structure), with strict undefined names.

Every string value of the venue file that contains ``{{`` or ``{%`` is rendered, with these names:

    venue   the ``venue:`` mapping as written (id, name, short_name, website, contact, …)
    roles   each role's group id: roles.program_chairs, roles.reviewers, roles.area_chairs, …

An unknown name is an error at the string's line. OpenReview's own e-mail templates use ``{{...}}``
placeholders too: write them as ``{% raw %}{{action}}{% endraw %}`` to pass them through.
"""

from __future__ import annotations

import re
from typing import Any

import jinja2
from jinja2.sandbox import SandboxedEnvironment

from venueops.config.loader import PathKey, SourceMap
from venueops.diagnostics import Diagnostic, Location

ROLE_GROUPS = {
    "program_chairs": "Program_Chairs", "reviewers": "Reviewers", "area_chairs": "Area_Chairs",
    "senior_area_chairs": "Senior_Area_Chairs", "authors": "Authors", "ethics_chairs": "Ethics_Chairs",
    "ethics_reviewers": "Ethics_Reviewers", "publication_chairs": "Publication_Chairs",
}

_ENVIRONMENT = SandboxedEnvironment(undefined=jinja2.StrictUndefined, autoescape=False, keep_trailing_newline=True)


def template_context(data: dict[str, Any]) -> dict[str, Any]:
    """The names templates may use, from the file's own (unrendered) venue and roles sections."""
    venue_section = data.get("venue") if isinstance(data.get("venue"), dict) else {}
    venue = {k: v for k, v in venue_section.items() if isinstance(v, (str, int, float, bool))}
    venue_id = venue.get("id") if isinstance(venue.get("id"), str) else ""
    roles_section = data.get("roles") if isinstance(data.get("roles"), dict) else {}
    roles = {}
    for role, default in ROLE_GROUPS.items():
        spec = roles_section.get(role)
        name = spec.get("name") if isinstance(spec, dict) and isinstance(spec.get("name"), str) else default
        roles[role] = f"{venue_id}/{name}"
    return {"venue": venue, "roles": roles}


def render_strings(data: Any, source: SourceMap, context: dict[str, Any]) -> tuple[Any, list[Diagnostic]]:
    """Render every templated string value; return the new data and the problems found."""
    problems: list[Diagnostic] = []
    rendered = _walk(data, (), source, context, problems)
    return rendered, problems


def _walk(node: Any, path: PathKey, source: SourceMap, context: dict[str, Any], problems: list[Diagnostic]) -> Any:
    if isinstance(node, dict):
        return {key: _walk(value, (*path, key), source, context, problems) for key, value in node.items()}
    if isinstance(node, list):
        return [_walk(value, (*path, index), source, context, problems) for index, value in enumerate(node)]
    if isinstance(node, str) and ("{{" in node or "{%" in node):
        return _render(node, path, source, context, problems)
    return node


def _render(text: str, path: PathKey, source: SourceMap, context: dict[str, Any], problems: list[Diagnostic]) -> str:
    where = source.locate(path)
    try:
        return _ENVIRONMENT.from_string(text).render(context)
    except jinja2.UndefinedError as error:
        problems.append(Diagnostic(f"template: {_undefined(error.message or '', text, context)}", where,
                                   path=_dotted(path)))
    except jinja2.TemplateSyntaxError as error:
        line = where.line + max(error.lineno - 1, 0)
        problems.append(Diagnostic(f"template syntax: {error.message}", Location(where.file, line, where.col),
                                   path=_dotted(path)))
    except jinja2.TemplateError as error:
        problems.append(Diagnostic(f"template: {error}", where, path=_dotted(path)))
    return text


def _undefined(message: str, text: str, context: dict[str, Any]) -> str:
    """``'dict object' has no attribute 'idd'`` → ``venue has no 'idd' (it has: id, name, ...)``."""
    attribute = re.search(r"has no attribute '([^']+)'", message)
    if attribute:
        name = attribute.group(1)
        base = re.search(r"(\w+)\s*\.\s*" + re.escape(name) + r"\b", text)
        if base and isinstance(context.get(base.group(1)), dict):
            known = ", ".join(sorted(context[base.group(1)]))
            return f"{base.group(1)} has no {name!r} (it has: {known})"
    undefined = re.search(r"'([^']+)' is undefined", message)
    if undefined:
        return f"unknown name {undefined.group(1)!r} (templates may use: {', '.join(sorted(context))})"
    return message


def _dotted(path: PathKey) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out

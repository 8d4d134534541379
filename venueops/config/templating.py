"""Jinja2 in string values (never in YAML structure), with strict undefined names.

Every string value of the venue file that contains ``{{`` or ``{%`` is rendered, with these names:

    venue   the ``venue:`` mapping as written (id, name, short_name, website, contact, …)
    roles   each role's group id: roles.program_chairs, roles.reviewers, roles.area_chairs, …

An unknown name is an error at the string's line. OpenReview's own e-mail templates use ``{{...}}``
placeholders too: write them as ``{% raw %}{{action}}{% endraw %}`` to pass them through.

Templates are untrusted code: they run in ``template_sandbox.BoundedEnvironment``, with limits on
integer size, string length, output size, loop iterations, operations and time, shared by all the
templates of one file (``Budget``). Whatever goes wrong inside a template, including a limit, is a
diagnostic at the string's ``file:line:col``, never a traceback.
"""

from __future__ import annotations

import re
from typing import Any

import jinja2

from venueops.config.loader import PathKey, SourceMap
from venueops.config.template_sandbox import BoundedEnvironment, Budget, TemplateLimitError, render_bounded
from venueops.diagnostics import Diagnostic, Location

ROLE_GROUPS = {
    "program_chairs": "Program_Chairs", "reviewers": "Reviewers", "area_chairs": "Area_Chairs",
    "senior_area_chairs": "Senior_Area_Chairs", "authors": "Authors", "ethics_chairs": "Ethics_Chairs",
    "ethics_reviewers": "Ethics_Reviewers", "publication_chairs": "Publication_Chairs",
}

_ENVIRONMENT = BoundedEnvironment()


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
    renderer = _Renderer(source, context, problems)
    rendered = renderer.walk(data, ())
    return rendered, problems


class _Renderer:
    """Renders the templated strings of one file, all against one ``Budget``."""

    def __init__(self, source: SourceMap, context: dict[str, Any], problems: list[Diagnostic]) -> None:
        self.source = source
        self.context = context
        self.problems = problems
        self.budget = Budget()
        self.exhausted = False  # once the file's budget is spent, later strings are left as written

    def walk(self, node: Any, path: PathKey) -> Any:
        if isinstance(node, dict):
            return {key: self.walk(value, (*path, key)) for key, value in node.items()}
        if isinstance(node, list):
            return [self.walk(value, (*path, index)) for index, value in enumerate(node)]
        if isinstance(node, str) and ("{{" in node or "{%" in node) and not self.exhausted:
            return _render(node, path, self)
        return node


def _render(text: str, path: PathKey, renderer: _Renderer) -> str:
    source, context, problems = renderer.source, renderer.context, renderer.problems
    where = source.locate(path)
    try:
        return render_bounded(_ENVIRONMENT, text, context, renderer.budget)
    except TemplateLimitError as error:
        problems.append(Diagnostic(f"template: {error.message} (see the limits in the README)", where,
                                   path=_dotted(path)))
        renderer.exhausted = renderer.budget.operations < 0 or renderer.budget.iterations < 0
    except jinja2.UndefinedError as error:
        problems.append(Diagnostic(f"template: {_undefined(error.message or '', text, context)}", where,
                                   path=_dotted(path)))
    except jinja2.TemplateSyntaxError as error:
        line = where.line + max(error.lineno - 1, 0)
        problems.append(Diagnostic(f"template syntax: {error.message}", Location(where.file, line, where.col),
                                   path=_dotted(path)))
    except jinja2.TemplateError as error:
        problems.append(Diagnostic(f"template: {error}", where, path=_dotted(path)))
    except Exception as error:  # a template is user code: any failure of it is the file's problem
        problems.append(Diagnostic(f"template: {type(error).__name__}: {error}", where, path=_dotted(path)))
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

"""A Jinja2 environment in which no venue-file template can use unbounded time or memory.

Venue files come from anyone who can open a pull request, so a template is untrusted code. Jinja2's
``SandboxedEnvironment`` already refuses unsafe attributes (``__class__``, ``mro``, …) and caps
``range``; it does not bound what a template computes: ``{{ 9 ** 99999999 }}`` runs for minutes in
one C call, ``{{ 'x' * 400000000 }}`` allocates gigabytes, nested loops never finish. Here every
operation that can grow a value or take time is checked *before* it runs:

- arithmetic (``+ - * / // % **``) and unary signs go through ``call_binop``/``call_unop``, never
  constant-folded at compile time: integers must fit 64 bits (``MAX_INT_BITS``), strings and lists
  may not outgrow ``MAX_VALUE_CHARS``, ``%`` formatting may not ask for widths over ``MAX_WIDTH``;
- calls (methods, macros, ``range``) go through ``call``: only side-effect-free, size-predictable
  string, list and mapping methods are reachable (``str.format``, ``center``, ``zfill``, … are not),
  ``replace`` and ``join`` are sized before they run, and every result is checked;
- filters are an explicit list of Jinja's built-ins, each wrapped the same way (``random`` is left
  out: templates are deterministic);
- every loop's iterable and every ``~`` concatenation are routed through guards by rewriting the
  parsed template (``_guard_tree``), so iterations count against ``MAX_ITERATIONS``;
- output is collected chunk by chunk and stops at ``MAX_OUTPUT_CHARS`` per string;
- each of these steps ticks a per-file budget of ``MAX_OPERATIONS`` operations and ``MAX_SECONDS``.

Counting operations, not only time, keeps the limits deterministic: the same file fails at the same
place on a fast and a slow machine. The time limit is a backstop.
"""

from __future__ import annotations

import contextvars
import functools
import itertools
import math
import re
import time
from collections.abc import Callable, Iterable, Iterator, Sized
from dataclasses import dataclass, field
from typing import Any

import jinja2
from jinja2 import nodes
from jinja2.sandbox import SandboxedEnvironment

MAX_INT_BITS = 64  # integers a template computes: -2**63 … 2**63-1
MAX_VALUE_CHARS = 1_000_000  # length of any string, list or mapping a template builds
MAX_OUTPUT_CHARS = 1_000_000  # what one templated string may render to
MAX_WIDTH = 1_000  # widths and precisions in ``%`` formatting
MAX_ITERATIONS = 50_000  # loop iterations, over all templates of one file
MAX_OPERATIONS = 100_000  # calls, operators, attribute reads, iterations and output chunks, per file
MAX_SECONDS = 1.0  # wall time of all templates of one file
MAX_SOURCE_CHARS = 1_000_000  # a templated string's own length
MAX_NESTING = 50  # depth of a template's syntax tree

_INT_LIMIT = 2 ** (MAX_INT_BITS - 1)


class TemplateLimitError(jinja2.TemplateError):
    """A template went past one of the limits above; the message names which."""


@dataclass
class Budget:
    """What the templates of one file may still spend."""

    operations: int = MAX_OPERATIONS
    iterations: int = MAX_ITERATIONS
    deadline: float = field(default_factory=lambda: time.monotonic() + MAX_SECONDS)

    def tick(self, cost: int = 1) -> None:
        self.operations -= cost
        if self.operations < 0:
            raise TemplateLimitError(f"the templates of this file take more than {MAX_OPERATIONS:,} operations")
        if self.operations % 1024 < cost and time.monotonic() > self.deadline:
            raise TemplateLimitError(f"the templates of this file take more than {MAX_SECONDS:g} s")

    def iterate(self) -> None:
        self.iterations -= 1
        if self.iterations < 0:
            raise TemplateLimitError(f"the templates of this file loop more than {MAX_ITERATIONS:,} times")
        self.tick()


_BUDGET: contextvars.ContextVar[Budget] = contextvars.ContextVar("venueops_template_budget")


def _budget() -> Budget:
    try:
        return _BUDGET.get()
    except LookupError:
        raise TemplateLimitError("venue templates are rendered through render_bounded only") from None


def check_value(value: Any) -> Any:
    """``value`` if it is within the size limits; raise otherwise."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        if not -_INT_LIMIT <= value < _INT_LIMIT:
            raise TemplateLimitError(f"an integer does not fit {MAX_INT_BITS} bits")
    elif isinstance(value, float):
        if not math.isfinite(value):
            raise TemplateLimitError("a number is not finite (overflow or division by zero)")
    elif isinstance(value, (str, list, tuple, dict, set, frozenset)) and len(value) > MAX_VALUE_CHARS:
        raise TemplateLimitError(f"a value is longer than {MAX_VALUE_CHARS:,} characters or items")
    return value


def _size(value: Any) -> int:
    return len(value) if isinstance(value, Sized) else 0


def _check_size(predicted: int) -> None:
    if predicted > MAX_VALUE_CHARS:
        raise TemplateLimitError(f"a value would be longer than {MAX_VALUE_CHARS:,} characters or items")


# -- operators -------------------------------------------------------------------------------------
def _check_binop(op: str, left: Any, right: Any) -> None:
    """Refuse, before computing it, an operation whose result would be too large."""
    numbers = all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (left, right))
    if op == "**" and numbers:
        if isinstance(left, int) and isinstance(right, int) and right > 0 and abs(left) > 1:
            if right * math.log2(abs(left)) >= MAX_INT_BITS - 1:
                raise TemplateLimitError(f"{left} ** {right} does not fit {MAX_INT_BITS} bits")
        elif abs(left) > 1 and isinstance(right, (int, float)) and right > 1024:
            raise TemplateLimitError(f"{left} ** {right} is too large")
    elif op == "*":
        if (numbers and isinstance(left, int) and isinstance(right, int)
                and left.bit_length() + right.bit_length() > MAX_INT_BITS + 1):
            raise TemplateLimitError(f"{left} * {right} does not fit {MAX_INT_BITS} bits")
        for sequence, count in ((left, right), (right, left)):
            if isinstance(sequence, (str, list, tuple)) and isinstance(count, int):
                _check_size(len(sequence) * max(count, 0))
    elif op == "+" and isinstance(left, (str, list, tuple)) and isinstance(right, (str, list, tuple)):
        _check_size(len(left) + len(right))
    elif op == "%" and isinstance(left, str):
        _check_format(left)


_PERCENT_SPEC = re.compile(r"%(?:\([^)]*\))?[#0\- +]*(\*|\d+)?(?:\.(\*|\d+))?")


def _check_format(template: str) -> None:
    for match in _PERCENT_SPEC.finditer(template):
        for part in match.groups():
            if part == "*" or (part is not None and int(part) > MAX_WIDTH):
                raise TemplateLimitError(f"a % format asks for a width or precision over {MAX_WIDTH}")


# -- calls -----------------------------------------------------------------------------------------
# Methods a template may call: side-effect free, and their result is never much larger than their
# inputs (``replace`` and ``join`` are sized before they run). Everything else is refused.
SAFE_METHODS: dict[type, frozenset[str]] = {
    str: frozenset({
        "capitalize", "casefold", "count", "endswith", "find", "index", "isalnum", "isalpha", "isdigit",
        "islower", "isspace", "istitle", "isupper", "join", "lower", "lstrip", "partition", "removeprefix",
        "removesuffix", "replace", "rfind", "rindex", "rpartition", "rsplit", "rstrip", "split", "splitlines",
        "startswith", "strip", "swapcase", "title", "upper",
    }),
    dict: frozenset({"get", "items", "keys", "values"}),
    list: frozenset({"count", "index"}),
    tuple: frozenset({"count", "index"}),
}


def _check_call(function: Any, args: tuple[Any, ...]) -> None:
    owner = getattr(function, "__self__", None)
    name = getattr(function, "__name__", "")
    if isinstance(owner, str) and name == "replace" and len(args) >= 2:
        _check_replace(owner, args[0], args[1], args[2] if len(args) > 2 else -1)
    elif isinstance(owner, str) and name == "join" and args:
        _check_join(owner, args[0])


def _check_replace(text: Any, old: Any, new: Any, count: Any = -1) -> None:
    if not (isinstance(text, str) and isinstance(old, str) and isinstance(new, str)):
        return
    found = len(text) + 1 if old == "" else text.count(old)
    if isinstance(count, int) and count >= 0:
        found = min(found, count)
    _check_size(len(text) + found * (len(new) - len(old)))


def _check_join(separator: str, items: Any) -> None:
    if isinstance(items, (list, tuple)):
        _check_size(sum(_size(i) if isinstance(i, str) else 20 for i in items)
                    + len(separator) * max(len(items) - 1, 0))


# -- filters ---------------------------------------------------------------------------------------
_PASSED_TYPES = (jinja2.runtime.Context, jinja2.nodes.EvalContext, jinja2.Environment)
ALLOWED_FILTERS = (
    "abs", "attr", "capitalize", "count", "d", "default", "dictsort", "e", "escape", "first", "float",
    "groupby", "int", "items", "join", "last", "length", "list", "lower", "map", "max", "min", "reject",
    "rejectattr", "replace", "reverse", "round", "select", "selectattr", "sort", "string", "striptags", "sum",
    "title", "tojson", "trim", "truncate", "unique", "upper", "urlencode", "wordcount",
)


def _guarded_filter(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    def guarded(*args: Any, **kwargs: Any) -> Any:
        _budget().tick()
        passed = 0  # the context, eval context or environment Jinja passes first to some filters
        while passed < len(args) and isinstance(args[passed], _PASSED_TYPES):
            passed += 1
        values = list(args[passed:])
        for argument in (*values[1:], *kwargs.values()):
            if isinstance(argument, int) and not isinstance(argument, bool) and abs(argument) > MAX_VALUE_CHARS:
                raise TemplateLimitError(f"the filter {name} was given {argument}, more than {MAX_VALUE_CHARS:,}")
        if values and not isinstance(values[0], (str, list, tuple, dict)) and isinstance(values[0], Iterable):
            values[0] = list(itertools.islice(values[0], MAX_VALUE_CHARS + 1))  # a generator, sized below
            check_value(values[0])
        if name == "replace" and len(values) >= 3:
            _check_replace(*values[:4])
        elif name == "join" and values:
            separator = values[1] if len(values) > 1 else kwargs.get("d", "")
            _check_join(str(separator), values[0] if isinstance(values[0], (list, tuple)) else [])
        elif name == "tojson":
            indent = kwargs.get("indent", values[1] if len(values) > 1 else None)
            if isinstance(indent, int) and indent > MAX_WIDTH:
                raise TemplateLimitError(f"tojson indents by at most {MAX_WIDTH}")
        return check_value(function(*args[:passed], *values, **kwargs))

    for marker in ("jinja_pass_arg",):  # keep @pass_context / @pass_environment / @pass_eval_context
        if hasattr(function, marker):
            setattr(guarded, marker, getattr(function, marker))
    guarded.__name__ = getattr(function, "__name__", name)
    return guarded


# -- loops and concatenation -----------------------------------------------------------------------
LOOP_GUARD = "__venueops_loop__"
CONCAT_GUARD = "__venueops_concat__"


def _loop_guard(iterable: Iterable[Any]) -> Iterator[Any]:
    budget = _budget()
    for item in iterable:
        budget.iterate()
        yield item


def _concat_guard(*parts: Any) -> str:
    texts = [p if isinstance(p, str) else str(p) for p in parts]
    _check_size(sum(len(t) for t in texts))
    _budget().tick(len(texts))
    return "".join(texts)


def _bounded_range(*args: Any) -> Iterator[int]:
    for value in args:
        if not isinstance(value, int) or isinstance(value, bool):
            raise TemplateLimitError("range takes integers")
    numbers = range(*args)
    if len(numbers) > MAX_ITERATIONS:
        raise TemplateLimitError(f"range({', '.join(map(str, args))}) has more than {MAX_ITERATIONS:,} numbers")
    return _loop_guard(numbers)


def _guard_tree(tree: nodes.Template) -> nodes.Template:
    """Route every loop's iterable and every ``~`` through the guards, and refuse trees nested deeper
    than ``MAX_NESTING`` (deep trees would exhaust the compiler's stack instead)."""

    def guard(name: str, args: list[nodes.Expr], lineno: int) -> nodes.Call:
        return nodes.Call(nodes.Name(name, "load", lineno=lineno), args, [], None, None, lineno=lineno)

    def walk(node: nodes.Node, depth: int) -> None:
        if depth > MAX_NESTING:
            raise TemplateLimitError(f"the template is nested more than {MAX_NESTING} levels deep")
        for child in node.iter_child_nodes():
            walk(child, depth + 1)
        for name in node.fields:
            value = getattr(node, name)
            if isinstance(value, list):
                setattr(node, name, [_rewrite(v) for v in value])
            else:
                setattr(node, name, _rewrite(value))

    def _rewrite(value: Any) -> Any:
        if isinstance(value, nodes.Concat):
            return guard(CONCAT_GUARD, value.nodes, value.lineno)
        return value

    walk(tree, 0)
    for loop in tree.find_all(nodes.For):
        loop.iter = guard(LOOP_GUARD, [loop.iter], loop.lineno)
    return tree


# -- the environment -------------------------------------------------------------------------------
class BoundedEnvironment(SandboxedEnvironment):
    """Jinja2's sandbox with every growth of a value and every step of work checked and counted."""

    intercepted_binops = frozenset({"+", "-", "*", "/", "//", "%", "**"})
    intercepted_unops = frozenset({"+", "-"})

    def __init__(self) -> None:
        super().__init__(undefined=jinja2.StrictUndefined, autoescape=False, keep_trailing_newline=True)
        builtin = self.filters
        self.filters = {name: _guarded_filter(name, builtin[name]) for name in ALLOWED_FILTERS}
        self.globals = {"range": _bounded_range, "dict": dict, LOOP_GUARD: _loop_guard, CONCAT_GUARD: _concat_guard}

    def wrap_str_format(self, value: Any) -> None:
        """No ``str.format``/``format_map``: Jinja would hand out a sandboxed formatter, whose width
        and precision specifiers (``{:>999999999}``) still allocate without bound."""
        return None

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        if not super().is_safe_attribute(obj, attr, value):
            return False
        if not callable(value) or isinstance(obj, jinja2.runtime.LoopContext):
            return True
        for kind, names in SAFE_METHODS.items():
            if isinstance(obj, kind):
                return attr in names
        return False

    def call_binop(self, context: jinja2.runtime.Context, operator_name: str, left: Any, right: Any) -> Any:
        _budget().tick()
        _check_binop(operator_name, left, right)
        return check_value(super().call_binop(context, operator_name, left, right))

    def call_unop(self, context: jinja2.runtime.Context, operator_name: str, arg: Any) -> Any:
        _budget().tick()
        return check_value(super().call_unop(context, operator_name, arg))

    def getattr(self, obj: Any, attribute: str) -> Any:
        _budget().tick()
        return super().getattr(obj, attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        _budget().tick()
        return super().getitem(obj, argument)

    def call(__self, __context: jinja2.runtime.Context, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        _budget().tick()
        _check_call(__obj, args)
        return check_value(super().call(__context, __obj, *args, **kwargs))

    def compile_bounded(self, source: str) -> jinja2.Template:
        """Parse, guard and compile ``source``; syntax errors are Jinja's, limits are ours."""
        if len(source) > MAX_SOURCE_CHARS:
            raise TemplateLimitError(f"a templated string is longer than {MAX_SOURCE_CHARS:,} characters")
        try:
            tree = self.parse(source)
        except RecursionError:
            raise TemplateLimitError(f"the template is nested more than {MAX_NESTING} levels deep") from None
        code = self.compile(_guard_tree(tree))
        return self.template_class.from_code(self, code, self.make_globals(None), None)


@functools.lru_cache(maxsize=4096)
def _compiled(environment: BoundedEnvironment, source: str) -> jinja2.Template:
    return environment.compile_bounded(source)


def render_bounded(environment: BoundedEnvironment, source: str, context: dict[str, Any], budget: Budget) -> str:
    """Render ``source`` within ``budget`` and ``MAX_OUTPUT_CHARS``."""
    token = _BUDGET.set(budget)
    try:
        template = _compiled(environment, source)
        out: list[str] = []
        length = 0
        for chunk in template.generate(context):
            budget.tick()
            length += len(chunk)
            if length > MAX_OUTPUT_CHARS:
                raise TemplateLimitError(f"the template renders to more than {MAX_OUTPUT_CHARS:,} characters")
            out.append(chunk)
        return "".join(out)
    except RecursionError:
        raise TemplateLimitError("the template recurses too deeply") from None
    except OverflowError:
        raise TemplateLimitError("a number is too large (overflow)") from None
    except MemoryError:
        raise TemplateLimitError("the template needs more memory than there is") from None
    finally:
        _BUDGET.reset(token)


__all__ = ["BoundedEnvironment", "Budget", "TemplateLimitError", "check_value", "render_bounded"]

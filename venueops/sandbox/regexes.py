"""Template regular expressions, in the dialect OpenReview runs them in: ECMAScript with the ``u`` flag.

OpenReview validates posted values against an invitation's template with ajv, a JavaScript
JSON-schema validator, which compiles every ``pattern`` as ``new RegExp(pattern, "u")``. Python's
``re`` is another dialect: it accepts ``(?P<name>…)``, inline flags ``(?i)``, ``\\A``/``\\Z``,
possessive quantifiers and stray ``{``, all of which JavaScript refuses; its ``.`` matches ``\\r``
and ``\\u2028`` and its ``$`` matches before a final newline, where JavaScript's do not; its ``\\d``
and ``\\s`` are Unicode-wide. So the sandbox compiles template regexes with ``regress``, the Rust
ECMAScript engine (Python bindings by Julian Berman), with the ``u`` flag.

FIDELITY: the dialect is ECMAScript 2018+ with ``u`` (ajv's default ``unicodeRegExp: true``), as
Node's V8 runs it; where regress and V8 differ on some corner of Unicode property escapes, regress
stands.

Three ways a template uses a regex, each a function here:

| use                                   | how it matches                  | function     |
|---------------------------------------|---------------------------------|--------------|
| ``param.regex``                       | unanchored search (as ajv does) | ``searcher`` |
| an ``enum`` entry that is a regex     | the whole value                 | ``whole``    |
| an ``items`` entry's ``prefix``       | at the start of the value       | ``at_start`` |

JavaScript has no full-match or match-at-start call, so those wrap the pattern as ``^(?:…)$``
and ``^(?:…)``; the pattern is compiled alone first, so a pattern that only compiles once wrapped
(``a)|(b``) is still refused. Compiled patterns are kept in a bounded cache.

Query parameters ``prefix`` and ``regex`` (``GET /groups``, ``/invitations``) are not template
regexes: OpenReview hands them to MongoDB's ``$regex`` (PCRE), whose dialect Python's ``re`` is
closer to, so ``queries.py`` keeps ``re`` for them.
"""

from __future__ import annotations

import functools

import regress

MAX_REPETITION = 1000
_FLAGS = "u"
_CACHE_SIZE = 4096


@functools.lru_cache(maxsize=_CACHE_SIZE)
def _compile(source: str) -> regress.Regex | None:
    try:
        return regress.Regex(source, _FLAGS)
    except regress.RegressError:
        return None


def searcher(pattern: str) -> regress.Regex | None:
    """``pattern`` compiled for an unanchored search, or None when it is not valid."""
    return _compile(pattern)


def whole(pattern: str) -> regress.Regex | None:
    """``pattern`` compiled to match a whole string (``^(?:…)$``), or None when it is not valid."""
    if _compile(pattern) is None:
        return None
    return _compile(f"^(?:{pattern})$")


def at_start(pattern: str) -> regress.Regex | None:
    """``pattern`` compiled to match at the start of a string (``^(?:…)``), or None when not valid."""
    if _compile(pattern) is None:
        return None
    return _compile(f"^(?:{pattern})")


def large_repetition(pattern: str) -> int | None:
    """The first repetition count over ``MAX_REPETITION`` in a quantifier of ``pattern``, or None.

    Counts are read from quantifiers only: ``{n}``, ``{n,}``, ``{n,m}`` outside character classes
    and not escaped (``[{1001}]`` and ``\\{1001\\}`` are literal characters)."""
    index, in_class, length = 0, False, len(pattern)
    while index < length:
        char = pattern[index]
        if char == "\\":
            index += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char == "{":
            end = pattern.find("}", index)
            if end != -1:
                body = pattern[index + 1 : end]
                low, comma, high = body.partition(",")
                if low.isdigit() and (not high or high.isdigit()) and (comma or not high):
                    for count in (low, high):
                        if count and int(count) > MAX_REPETITION:
                            return int(count)
        index += 1
    return None


def problem(pattern: str) -> str | None:
    """Why a template regex is refused when an invitation is saved, or None.

    The docs call repetition counts over 1000 invalid (notes/api-v2.md §4.3); anything the
    ECMAScript engine cannot compile is invalid too."""
    count = large_repetition(pattern)
    if count is not None:
        return f"repetition count {count} is over {MAX_REPETITION}"
    if _compile(pattern) is None:
        return "it is not a valid regular expression"
    return None

"""Template regexes are ECMAScript (with the ``u`` flag), as ajv runs them on OpenReview, not Python's ``re``.

Every case goes over HTTP to a real sandbox: an invitation is saved with a template regex, then
values are posted through it. Each case is one where the two dialects disagree, so it fails on a
sandbox that compiles templates with Python's ``re``.
"""

from __future__ import annotations

import itertools
from typing import Any

import openreview
import pytest
import requests
from openreview.api import Group, Invitation, Note

from tests.sandbox.helpers import api_error
from venueops.sandbox import regexes

VENUE = "RX.cc"
_numbers = itertools.count(1)


@pytest.fixture
def venue(root: openreview.api.OpenReviewClient) -> openreview.api.OpenReviewClient:
    root.post_group_edit(
        invitation="openreview.net/-/Edit", readers=["everyone"], writers=["~Super_User1"],
        signatures=["~Super_User1"],
        group=Group(id=VENUE, readers=["everyone"], writers=[VENUE], signatories=[VENUE],
                    signatures=["~Super_User1"], members=["~Super_User1"]),
    )
    return root


def save_form(root: openreview.api.OpenReviewClient, params: dict[str, dict[str, Any]]) -> str:
    """A note invitation of ``VENUE`` whose content fields have the given ``param`` specifiers."""
    invitation_id = f"{VENUE}/-/Form{next(_numbers)}"
    root.post_invitation_edit(
        invitations="openreview.net/-/Edit", readers=["everyone"], writers=["openreview.net"],
        signatures=["~Super_User1"],
        invitation=Invitation(
            id=invitation_id, invitees=["~"], readers=["everyone"], writers=["openreview.net"],
            signatures=["~Super_User1"],
            edit={
                "signatures": {"param": {"items": [{"prefix": "~.*"}]}},
                "readers": ["everyone"], "writers": ["openreview.net"],
                "note": {"signatures": ["${3/signatures}"], "readers": ["everyone"], "writers": ["openreview.net"],
                         "content": {name: {"value": {"param": spec}} for name, spec in params.items()}},
            },
        ),
    )
    return invitation_id


def post_value(root: openreview.api.OpenReviewClient, invitation_id: str, field: str, value: Any) -> dict:
    return root.post_note_edit(invitation=invitation_id, signatures=["~Super_User1"],
                               note=Note(content={field: {"value": value}}))


def refused_value(root: openreview.api.OpenReviewClient, invitation_id: str, field: str, value: Any) -> dict:
    return api_error(lambda: post_value(root, invitation_id, field, value))


def refused_form(root: openreview.api.OpenReviewClient, params: dict[str, dict[str, Any]]) -> dict:
    return api_error(lambda: save_form(root, params))


# -- the dialect when an invitation is saved ------------------------------------------------------
@pytest.mark.parametrize("pattern", [
    "(?P<name>a)",  # Python's named group
    "(?i)abc",  # inline flags
    "abc\\Z",  # Python's end anchor
    "\\Aabc",  # Python's start anchor
    "a++",  # possessive quantifier
    "(?>a)",  # atomic group
    "a{",  # a stray brace is a literal in Python, a syntax error with the u flag
    "\\-",  # an identity escape outside a class is refused with the u flag
])
def test_python_only_syntax_is_refused_when_saved(venue, pattern):
    error = refused_form(venue, {"x": {"type": "string", "regex": pattern}})
    assert error["name"] == "ValidationError"
    assert error["status"] == 400
    assert error["message"] == (f"The regex {pattern} at invitation/edit/note/content/x/value/param/regex is not "
                                "valid: it is not a valid regular expression")
    assert error["details"]["path"] == "invitation/edit/note/content/x/value/param/regex"


@pytest.mark.parametrize(("pattern", "good", "bad"), [
    ("^\\p{Lu}\\p{Ll}+$", "Émile", "émile"),  # Unicode property escapes: JavaScript with u only
    ("^(?<year>\\d{4})-\\k<year>$", "2024-2024", "2024-2025"),  # JavaScript's named groups and backreferences
    ("^[\\p{L}\\s]+$", "Zoë Ng", "Zoë_Ng"),
])
def test_javascript_only_syntax_is_accepted_and_applied(venue, pattern, good, bad):
    invitation_id = save_form(venue, {"x": {"type": "string", "regex": pattern}})
    post_value(venue, invitation_id, "x", good)
    error = refused_value(venue, invitation_id, "x", bad)
    assert error["message"] == f'x value must match pattern "{pattern}"'


# -- the dialect when values are matched ----------------------------------------------------------
@pytest.mark.parametrize(("pattern", "value"), [
    ("^.{1,250}$", "line one\rline two"),  # JavaScript's . does not match \r (Python's does)
    ("^.{1,250}$", "a\u2028b"),  # nor a line separator
    ("^abc$", "abc\n"),  # JavaScript's $ is the end of the string, not before a final newline
    ("^\\d+$", "\u0663\u0664"),  # \d is ASCII in JavaScript, every Unicode digit in Python
    ("^\\w+$", "naïve"),  # so is \w
])
def test_values_python_would_admit_are_refused(venue, pattern, value):
    invitation_id = save_form(venue, {"x": {"type": "string", "regex": pattern}})
    error = refused_value(venue, invitation_id, "x", value)
    assert error["name"] == "ValidationError"
    assert error["message"] == f'x value must match pattern "{pattern}"'
    assert error["details"]["path"] == "note/content/x/value"


def test_regex_is_an_unanchored_search(venue):
    invitation_id = save_form(venue, {"x": {"type": "string", "regex": "b+"}})
    post_value(venue, invitation_id, "x", "abbbc")
    assert refused_value(venue, invitation_id, "x", "ac")["message"] == 'x value must match pattern "b+"'


def test_regex_applies_to_each_element_of_an_array(venue):
    invitation_id = save_form(venue, {"tags": {"type": "string[]", "regex": "^\\p{Ll}+$"}})
    post_value(venue, invitation_id, "tags", ["été", "hiver"])
    error = refused_value(venue, invitation_id, "tags", ["été", "Hiver"])
    assert error["message"] == 'tags value/1 must match pattern "^\\p{Ll}+$"'


def test_enum_regexes_match_the_whole_value(venue):
    invitation_id = save_form(venue, {"who": {"type": "string", "enum": ["~\\p{Lu}.*", "Anonymous"]}})
    post_value(venue, invitation_id, "who", "~Émile_Zola1")
    post_value(venue, invitation_id, "who", "Anonymous")
    # A whole match: "x~Ann" contains a match but is not one; nor is a value ending in a newline.
    for value in ("x~Ann1", "~émile1", "~Ann1\n"):
        error = refused_value(venue, invitation_id, "who", value)
        assert error["message"] == "who value must be equal to one of the allowed values", value


def test_items_prefixes_match_at_the_start(venue):
    invitation_id = save_form(venue, {"ids": {"type": "string[]", "items": [
        {"prefix": "\\p{Lu}", "optional": True}, {"value": "fixed", "optional": True}]}})
    post_value(venue, invitation_id, "ids", ["Émile", "fixed"])
    error = refused_value(venue, invitation_id, "ids", ["Émile", "xÉmile"])
    assert error["name"] == "ItemsError"
    assert error["details"]["path"] == "note/content/ids/value/1"
    invalid = refused_form(venue, {"ids": {"type": "string[]", "items": [{"prefix": "(?P<p>x)"}]}})
    assert invalid["message"] == ("The regex (?P<p>x) at invitation/edit/note/content/ids/value/param/items/0/prefix"
                                  " is not valid: it is not a valid regular expression")


# -- repetition counts ------------------------------------------------------------------------------
@pytest.mark.parametrize("pattern", [".{0,1001}", "x{1001}", "x{2,5000}", "(ab){1001,}"])
def test_repetition_counts_over_a_thousand_are_refused(venue, pattern):
    error = refused_form(venue, {"x": {"type": "string", "regex": pattern}})
    assert error["message"].startswith(f"The regex {pattern} at invitation/edit/note/content/x/value/param/regex "
                                       "is not valid: repetition count ")
    assert error["message"].endswith(" is over 1000")


@pytest.mark.parametrize("pattern", [".{0,1000}", "^[{1001}]+$", "^\\{1001\\}$", "^.{1,250}$"])
def test_a_thousand_and_literal_braces_are_fine(venue, pattern):
    """Counts are read from quantifiers only: braces in a class or escaped are characters."""
    save_form(venue, {"x": {"type": "string", "regex": pattern}})


def test_compiled_patterns_are_cached_in_a_bounded_cache():
    first = regexes.searcher("^cached-\\d+$")
    assert first is not None and regexes.searcher("^cached-\\d+$") is first
    assert regexes.whole("a|b") is regexes.whole("a|b")
    assert regexes._compile.cache_info().maxsize == 4096


def test_anchoring_wraps_the_whole_alternation():
    """``a|b`` as a whole match is ``^(?:a|b)$``, not ``^a|b$`` (which would find "xb")."""
    whole = regexes.whole("a|b")
    at_start = regexes.at_start("a|b")
    assert whole is not None and at_start is not None
    assert whole.find("b") is not None and whole.find("xb") is None and whole.find("ab") is None
    assert at_start.find("bx") is not None and at_start.find("xb") is None
    assert regexes.whole("a)|(b") is None  # only valid once wrapped: still refused


# -- query parameters keep Python's dialect (MongoDB's $regex is PCRE, not ajv) ---------------------
def test_query_regex_parameters_are_not_template_regexes(venue):
    answer = requests.get(f"{venue.baseurl}/groups", params={"regex": "(?P<v>RX)\\.cc$"}, headers=venue.headers,
                          timeout=30)
    assert answer.status_code == 200, answer.text
    assert [g["id"] for g in answer.json()["groups"]] == [VENUE]

"""Param specifier rules, checked when an invitation is saved (venueops/sandbox/specifiers.py).

Each refused case posts an invitation whose template breaks one rule, over HTTP to a real sandbox,
and asserts the 400 ``ValidationError``, its message naming the specifier's slash path, its
``details.path``, and that the invitation was not stored. The accepted cases post every type,
``input`` and ``change`` value openreview-py's own builders use, so the rules cannot refuse them.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest
import requests

VENUE = "SP.cc"
FIELD = "invitation/edit/note/content/code/value/param"
TIMEOUT = 60


def invitation_edit(spec: dict[str, Any], invitation_id: str = f"{VENUE}/-/Form") -> dict[str, Any]:
    """A note invitation whose content field ``code`` has the param specifiers ``spec``."""
    return {
        "invitations": "openreview.net/-/Edit", "signatures": ["~Super_User1"], "readers": ["everyone"],
        "writers": ["openreview.net"],
        "invitation": {
            "id": invitation_id, "invitees": ["~"], "readers": ["everyone"], "writers": ["openreview.net"],
            "signatures": ["~Super_User1"],
            "edit": {
                "signatures": {"param": {"items": [{"prefix": "~.*"}]}},
                "readers": ["everyone"], "writers": ["openreview.net"],
                "note": {"signatures": ["${3/signatures}"], "readers": ["everyone"], "writers": ["openreview.net"],
                         "content": {"code": {"value": {"param": spec}}}},
            },
        },
    }


def post(root, body: dict[str, Any], path: str = "/invitations/edits") -> requests.Response:
    return requests.post(f"{root.baseurl}{path}", json=body, headers=root.headers, timeout=TIMEOUT)


def assert_refused(root, body: dict[str, Any], message: str, path: str) -> dict[str, Any]:
    invitation_id = body["invitation"]["id"]
    response = post(root, body)
    assert response.status_code == 400, response.text[:500]
    error = response.json()
    assert (error["name"], error["status"]) == ("ValidationError", 400), error
    assert error["message"] == message
    assert error["details"]["path"] == path
    stored = requests.get(f"{root.baseurl}/invitations", params={"id": invitation_id}, headers=root.headers,
                          timeout=TIMEOUT)
    assert stored.status_code == 404, "a refused invitation was stored"
    return error


REFUSED = [
    ({"type": "date[]"}, "type", 'must be a known type, not "date[]"'),
    ({"type": "file[]"}, "type", 'must be a known type, not "file[]"'),
    ({"type": "strng"}, "type", 'must be a known type, not "strng"'),
    ({"type": "string[][]"}, "type", 'must be a known type, not "string[][]"'),
    ({"type": 7}, "type", "must be string"),
    ({"type": "string", "regex": "(unclosed"}, "regex", "regex:(unclosed"),
    ({"type": "string", "regex": 5}, "regex", "must be string"),
    ({"type": "string", "minLength": -1}, "minLength", "must be a non-negative integer"),
    ({"type": "string", "maxLength": 2.5}, "maxLength", "must be a non-negative integer"),
    ({"type": "string", "maxLength": "100"}, "maxLength", "must be a non-negative integer"),
    ({"type": "string", "maxLength": True}, "maxLength", "must be a non-negative integer"),
    ({"type": "string", "minLength": 10, "maxLength": 5}, "minLength", "must be less than or equal to maxLength"),
    ({"type": "integer", "range": [5, 1]}, "range", "must have its first number less than or equal to its second"),
    ({"type": "integer", "range": [1]}, "range", "must be an array of two numbers"),
    ({"type": "integer", "range": [1, "9"]}, "range", "must be an array of two numbers"),
    ({"type": "integer", "range": "0-9"}, "range", "must be an array of two numbers"),
    ({"type": "integer", "minimum": 10, "maximum": 1}, "minimum", "must be less than or equal to maximum"),
    ({"type": "integer", "minimum": "0"}, "minimum", "must be number"),
    ({"type": "file", "maxSize": 0}, "maxSize", "must be a positive number"),
    ({"type": "file", "maxSize": -50}, "maxSize", "must be a positive number"),
    ({"type": "file", "maxSize": "50"}, "maxSize", "must be a positive number"),
    ({"type": "file", "extensions": "pdf"}, "extensions", "must be an array of strings"),
    ({"type": "file", "extensions": ["pdf", 1]}, "extensions", "must be an array of strings"),
    ({"type": "string", "optional": "true"}, "optional", "must be boolean"),
    ({"type": "string", "deletable": 1}, "deletable", "must be boolean"),
    ({"type": "string", "markdown": "yes"}, "markdown", "must be boolean"),
    ({"type": "string", "scroll": 0}, "scroll", "must be boolean"),
    ({"type": "string", "hidden": None}, "hidden", "must be boolean"),
    ({"type": "string", "input": "slider"}, "input", "must be one of text, textarea, select, checkbox, radio"),
    ({"type": "string[]", "change": "push"}, "change", "must be one of add, append, remove, replace"),
    ({"type": "string[]", "change": ["add", "pop"]}, "change", "must be one of add, append, remove, replace"),
    ({"type": "string", "enum": []}, "enum", "must be a non-empty array"),
    ({"type": "string", "enum": "Yes"}, "enum", "must be a non-empty array"),
    ({"type": "string[]", "items": {"value": "a"}}, "items", "must be an array of objects"),
    ({"type": "string[]", "items": ["a"]}, "items", "must be an array of objects"),
    ({"type": "string[]", "items": [{"value": "a"}, {"optional": True}]}, "items/1",
     "must have value, prefix or inGroup"),
    ({"type": "string[]", "items": [{"prefix": "[a-"}]}, "items/0/prefix", "regex:[a-"),
]


@pytest.mark.parametrize(("spec", "key", "rule"), REFUSED, ids=[f"{r[1]}-{i}" for i, r in enumerate(REFUSED)])
def test_a_broken_specifier_is_refused_when_the_invitation_is_saved(root, spec, key, rule):
    path = f"{FIELD}/{key}"
    if rule.startswith("regex:"):  # regexes keep the message invalid regexes always had
        message = f"The regex {rule[6:]} at {path} is not valid: it is not a valid regular expression"
    else:
        message = f"{path} {rule}"
    assert_refused(root, invitation_edit(spec), message, path)


def test_the_brief_example(root):
    error = assert_refused(root, invitation_edit({"type": "string", "minLength": 6, "maxLength": 5}),
                           f"{FIELD}/minLength must be less than or equal to maxLength", f"{FIELD}/minLength")
    assert error["details"]["invalidValue"] == 6


def test_params_are_found_in_every_template_kind_and_nested_templates(root):
    """Edge, tag and message templates; object properties; the template of an invitation that a
    super invitation creates (checked when the super invitation is saved)."""
    edge = copy.deepcopy(invitation_edit({}, f"{VENUE}/-/Edge"))
    del edge["invitation"]["edit"]
    edge["invitation"]["edge"] = {"head": {"param": {"type": "note"}}, "tail": {"param": {"type": "profile"}},
                                  "weight": {"param": {"minimum": 2, "maximum": 1}}}
    assert_refused(root, edge, "invitation/edge/weight/param/minimum must be less than or equal to maximum",
                   "invitation/edge/weight/param/minimum")
    tag = copy.deepcopy(edge)
    tag["invitation"]["id"] = f"{VENUE}/-/Tag"
    del tag["invitation"]["edge"]
    tag["invitation"]["tag"] = {"label": {"param": {"enum": []}}}
    assert_refused(root, tag, "invitation/tag/label/param/enum must be a non-empty array",
                   "invitation/tag/label/param/enum")
    message = copy.deepcopy(edge)
    message["invitation"]["id"] = f"{VENUE}/-/Message"
    del message["invitation"]["edge"]
    message["invitation"]["message"] = {"subject": {"param": {"type": "string", "maxLength": -5}}}
    assert_refused(root, message, "invitation/message/subject/param/maxLength must be a non-negative integer",
                   "invitation/message/subject/param/maxLength")
    authors = invitation_edit({"type": "author{}", "properties": {
        "fullname": {"param": {"type": "string", "minLength": 3, "maxLength": 2}}}})
    assert_refused(root, authors, f"{FIELD}/properties/fullname/param/minLength must be less than or equal to "
                   "maxLength", f"{FIELD}/properties/fullname/param/minLength")
    child = invitation_edit({"type": "string", "input": "dropdown"})["invitation"]
    child["id"] = f"{VENUE}/Submission${{2/content/number/value}}/-/Form"
    parent = invitation_edit({}, f"{VENUE}/-/Super")
    parent["invitation"]["edit"] = {"signatures": ["~Super_User1"], "readers": ["everyone"],
                                    "writers": ["openreview.net"],
                                    "content": {"number": {"value": {"param": {"type": "integer"}}}},
                                    "invitation": child}
    child_path = "invitation/edit/invitation/edit/note/content/code/value/param/input"
    assert_refused(root, parent, f"{child_path} must be one of text, textarea, select, checkbox, radio", child_path)


def test_specifiers_holding_references_are_judged_later(root):
    """``${…}`` values are resolved when the invitation they belong to is made, so they pass here."""
    spec = {"type": "${2/content/kind/value}", "maxLength": "${2/content/limit/value}",
            "enum": ["${3/content/choice/value}"], "items": [{"prefix": "${4/content/prefix/value}"}],
            "regex": "${2/content/pattern/value}.*"}
    response = post(root, invitation_edit(spec))
    assert response.status_code == 200, response.text[:500]


def test_a_later_edit_is_checked_against_the_whole_template(root):
    """Invitation templates merge key by key: an edit that only adds ``maxLength`` below an existing
    ``minLength`` is refused when the merged specifiers break the rule."""
    assert post(root, invitation_edit({"type": "string", "minLength": 10})).status_code == 200
    refused = post(root, invitation_edit({"maxLength": 5}))
    assert refused.status_code == 400, refused.text[:500]
    assert refused.json()["message"] == f"{FIELD}/minLength must be less than or equal to maxLength"
    stored = requests.get(f"{root.baseurl}/invitations", params={"id": f"{VENUE}/-/Form"}, headers=root.headers,
                          timeout=TIMEOUT).json()["invitations"][0]
    assert stored["edit"]["note"]["content"]["code"]["value"]["param"] == {"type": "string", "minLength": 10}


ACCEPTED_TYPES = ["string", "integer", "float", "boolean", "date", "file", "json", "group", "profile", "note",
                  "domain", "edge", "tag", "content", "script", "string[]", "integer[]", "float[]", "boolean[]",
                  "group[]", "profile[]", "note[]", "object[]", "json[]", "profile{}", "author{}", "group{}",
                  "object{}"]


def test_every_type_input_and_change_openreview_py_uses_is_accepted(root):
    content = {f"t{index}": {"value": {"param": {"type": type_name, "optional": True}}}
               for index, type_name in enumerate(ACCEPTED_TYPES)}
    for index, input_name in enumerate(("text", "textarea", "select", "checkbox", "radio")):
        content[f"i{index}"] = {"value": {"param": {"type": "string", "input": input_name, "enum": ["a", "b"],
                                                    "optional": True, "deletable": True}}}
    for index, change in enumerate(("add", "append", "remove", "replace", ["add", "remove"])):
        content[f"c{index}"] = {"value": {"param": {"type": "string[]", "change": change, "optional": True}}}
    content["full"] = {"value": {"param": {
        "type": "string", "regex": "^.{1,250}$", "minLength": 1, "maxLength": 250, "markdown": True,
        "scroll": True, "hidden": False, "optional": False, "deletable": False, "mismatchError": "no",
        "default": "x"}}}
    content["equal"] = {"value": {"param": {"type": "string", "minLength": 5, "maxLength": 5.0}}}
    content["number"] = {"value": {"param": {"type": "float", "range": [0, 10], "minimum": 0, "maximum": 10}}}
    content["date"] = {"value": {"param": {"type": "date", "range": [0, 9999999999999]}}}
    content["pdf"] = {"value": {"param": {"type": "file", "maxSize": 50, "extensions": ["pdf"], "optional": True}}}
    content["zip"] = {"value": {"param": {"type": "file", "maxSize": 0.5, "extensions": [], "optional": True}}}
    content["who"] = {"value": {"param": {"type": "string[]", "items": [
        {"value": "a", "optional": True}, {"prefix": "~.*", "optional": True},
        {"inGroup": f"{VENUE}/Reviewers", "optional": True, "description": "a reviewer"}]}}}
    body = invitation_edit({"type": "string"})
    body["invitation"]["edit"]["note"]["content"] = content
    response = post(root, body)
    assert response.status_code == 200, response.text[:500]

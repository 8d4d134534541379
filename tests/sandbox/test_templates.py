"""Invitation template checks (notes/api-v2.md §4.3), on the pure module with a small in-memory world."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from venueops.sandbox.errors import ApiError
from venueops.sandbox.templates import check_constants, check_object, regex_problem


@dataclass
class World:
    """The facts template checks ask about, as plain data."""

    profiles: set[str] = field(default_factory=lambda: {"~Ann_Lee1"})
    members: dict[str, set[str]] = field(default_factory=lambda: {"V/Reviewers": {"~Rev1"}})
    invitations: dict[str, set[str]] = field(default_factory=lambda: {"n1": {"V/-/Submission"}})

    def profile_exists(self, profile_id: str) -> bool:
        return profile_id in self.profiles

    def is_member(self, member: str, group_id: str) -> bool:
        return member in self.members.get(group_id, set())

    def has_invitation(self, object_id: str, invitation_id: str) -> bool:
        return invitation_id in self.invitations.get(object_id, set())

    def find_note(self, note_id: str) -> dict | None:
        notes = {"n1": {"id": "n1", "forum": "n1", "content": {"venueid": {"value": "V/Submission"}}},
                 "r1": {"id": "r1", "forum": "n1"}}
        return notes.get(note_id)


TEMPLATE = {
    "signatures": {"param": {"items": [{"prefix": "~.*", "optional": True}]}},
    "readers": ["V", "${2/signatures}"],
    "note": {
        "id": {"param": {"withInvitation": "V/-/Submission", "optional": True}},
        "ddate": {"param": {"range": [0, 9999999999999], "optional": True, "deletable": True}},
        "signatures": ["${3/signatures}"],
        "license": "CC BY 4.0",
        "content": {
            "title": {"value": {"param": {"type": "string", "maxLength": 10}}},
            "keywords": {"value": {"param": {"type": "string[]", "regex": ".+", "optional": True, "deletable": True}}},
            "rating": {"value": {"param": {"type": "integer", "enum": [1, 2, 3]}}},
            "venue": {"value": {"param": {"const": "V Submission"}}},
            "authorids": {"value": {"param": {"type": "profile[]", "optional": True}}},
        },
    },
}


def post(note: dict, **edit) -> dict:
    return check_object(TEMPLATE, {"signatures": ["~Ann_Lee1"], "note": note, **edit}, World()).filled


def error_of(note: dict, **edit) -> ApiError:
    with pytest.raises(ApiError) as caught:
        post(note, **edit)
    return caught.value


GOOD = {"content": {"title": {"value": "T"}, "rating": {"value": 2}}}


def test_constants_are_filled_in():
    filled = post(GOOD)
    assert filled["readers"] == ["V", "${2/signatures}"]
    assert filled["note"]["license"] == "CC BY 4.0"
    assert filled["note"]["content"]["venue"] == {"value": "V Submission"}
    assert "keywords" not in filled["note"]["content"]


def test_property_not_in_template_is_refused():
    error = error_of({"content": {**GOOD["content"], "abstract": {"value": "a"}}})
    assert error.message == "The property abstract must NOT be present"
    assert error.path == "note/content/abstract"


def test_missing_required_param():
    error = error_of({"content": {"rating": {"value": 2}}})
    assert error.name == "MissingRequiredError"
    assert error.message == "The field title value cannot be empty or missing"
    assert error_of({"content": {"title": {"value": None}, "rating": {"value": 2}}}).name == "MissingRequiredError"


def test_types_enum_lengths_and_regex():
    wrong_type = error_of({"content": {"title": {"value": 5}, "rating": {"value": 2}}})
    assert wrong_type.message == "title value must be string"
    assert error_of({"content": {"title": {"value": "x" * 11}, "rating": {"value": 2}}}).name == "ValidationError"
    assert "allowed values" in error_of({"content": {"title": {"value": "T"}, "rating": {"value": 9}}}).message
    error = error_of({"content": {**GOOD["content"], "keywords": {"value": ["ok", ""]}}})
    assert error.message == 'keywords value/1 must match pattern ".+"'
    assert error.path == "note/content/keywords/value/1"


def test_const_mismatch_is_not_match_error():
    error = error_of({"content": {**GOOD["content"], "venue": {"value": "Other"}}})
    assert error.name == "NotMatchError"


def test_deletable_and_non_deletable_fields():
    filled = post({"content": {**GOOD["content"], "keywords": {"value": {"delete": True}}}})
    assert filled["note"]["content"]["keywords"]["value"] == {"delete": True}
    error = error_of({"content": {"title": {"value": {"delete": True}}, "rating": {"value": 2}}})
    assert error.invalid_value == {"delete": True}
    assert post({**GOOD, "ddate": {"delete": True}})["note"]["ddate"] == {"delete": True}


def test_items_on_signatures():
    with pytest.raises(ApiError) as caught:
        check_object(TEMPLATE, {"signatures": ["V/Program_Chairs"], "note": GOOD}, World())
    assert caught.value.name == "ItemsError"


def test_with_invitation_and_profiles():
    assert post({**GOOD, "id": "n1"})["note"]["id"] == "n1"
    assert "must have the invitation" in error_of({**GOOD, "id": "n2"}).message
    error = error_of({"content": {**GOOD["content"], "authorids": {"value": ["~Nobody1"]}}})
    assert (error.name, error.message) == ("NotFoundError", "Profile Not Found: ~Nobody1")


def test_posted_values_where_constants_stand_must_match_after_resolution():
    result = check_object(TEMPLATE, {"signatures": ["~Ann_Lee1"], "readers": ["V", "~Ann_Lee1"], "note": GOOD},
                          World())
    resolved = {**result.filled, "readers": ["V", "~Ann_Lee1"]}
    check_constants(resolved, result.constant_checks)
    with pytest.raises(ApiError) as caught:
        check_constants({**result.filled, "readers": ["V", "~Someone_Else1"]}, result.constant_checks)
    assert caught.value.name == "NotMatchError"


def test_an_array_constant_takes_its_elements_in_the_posted_order_but_not_fewer():
    """A revision form locks authors to the paper's current list; authors may reorder, not drop."""
    template = {"signatures": ["V"], "note": {"content": {"authors": {"value": ["${{4/id}/content/authors/value}"]}}}}
    posted = {"signatures": ["V"], "note": {"content": {"authors": {"value": ["~C1", "~A1", "~B1"]}}}}
    result = check_object(template, posted, World())
    resolved = {"signatures": ["V"], "note": {"content": {"authors": {"value": ["~A1", "~B1", "~C1"]}}}}
    check_constants(resolved, result.constant_checks)
    assert resolved["note"]["content"]["authors"]["value"] == ["~C1", "~A1", "~B1"]
    fewer = {"signatures": ["V"], "note": {"content": {"authors": {"value": ["~A1", "~B1"]}}}}
    result = check_object(template, fewer, World())
    with pytest.raises(ApiError) as caught:
        check_constants({"signatures": ["V"], "note": {"content": {"authors": {"value": ["~A1", "~B1", "~C1"]}}}},
                        result.constant_checks)
    assert caught.value.name == "NotMatchError"


def test_nested_invitation_template_is_copied_verbatim():
    template = {"signatures": ["V"], "content": {"n": {"value": {"param": {"type": "integer"}}}},
                "invitation": {"id": "V/S${2/content/n/value}/-/Review",
                               "edit": {"note": {"content": {"review": {"value": {"param": {"type": "string"}}}}}}}}
    filled = check_object(template, {"content": {"n": {"value": 1}}, "invitation": {}}, World(),
                          creates_invitation=True).filled
    assert filled["invitation"]["edit"]["note"]["content"]["review"]["value"] == {"param": {"type": "string"}}


def test_array_change_objects_respect_change_and_items():
    template = {"signatures": ["V"], "group": {"id": "V/Reviewers",
                                               "members": {"param": {"regex": "~.*", "change": "append"}}}}
    filled = check_object(template, {"group": {"members": {"append": ["~Rev2"]}}}, World()).filled
    assert filled["group"] == {"id": "V/Reviewers", "members": {"append": ["~Rev2"]}}
    with pytest.raises(ApiError):
        check_object(template, {"group": {"members": {"remove": ["~Rev2"]}}}, World())
    with pytest.raises(ApiError):
        check_object(template, {"group": {"members": {"append": ["bad"]}}}, World())


def test_regexes_over_a_thousand_repetitions_are_refused_when_saved():
    assert regex_problem(".{0,1001}") is not None
    assert regex_problem("^.{1,250}$") is None
    assert regex_problem("(") is not None


@pytest.mark.parametrize(
    ("spec", "good", "bad"),
    [
        ({"type": "string"}, "x", 1),
        ({"type": "string[]"}, ["a", "b"], "a"),
        ({"type": "integer"}, 3, 3.5),
        ({"type": "integer"}, 3, True),
        ({"type": "float"}, 3.5, "3.5"),
        ({"type": "boolean"}, False, "false"),
        ({"type": "date"}, 1_700_000_000_000, 10_000_000_000_000),
        ({"type": "date"}, 0, -1),
        ({"type": "json"}, {"any": ["thing"]}, None),
        ({"type": "group[]"}, ["V/Reviewers", "~Ann_Lee1"], ["~Ghost1"]),
        ({"type": "profile"}, "~Ann_Lee1", "~Ghost1"),
        ({"type": "string", "minLength": 2, "maxLength": 3}, "abc", "abcd"),
        ({"type": "integer", "range": [1, 5]}, 5, 6),
        ({"type": "float", "minimum": 0.5}, 0.5, 0.25),
        ({"type": "string", "enum": ["Accept (Oral)", "Reject"]}, "Accept (Oral)", "Accept Oral"),
        ({"type": "string", "enum": [{"value": "a", "description": "A"}]}, "a", "b"),
        ({"type": "string[]", "items": [{"value": "x", "optional": True}, {"value": "y", "optional": True}]},
         ["y"], ["z"]),
        ({"type": "string", "inGroup": "V/Reviewers"}, "~Rev1", "~Rev2"),
        ({"type": "string", "notInGroup": "V/Reviewers"}, "~Rev2", "~Rev1"),
        ({"type": "author{}", "properties": {"fullname": {"param": {"type": "string"}},
                                              "username": {"param": {"type": "string", "optional": False}}}},
         [{"fullname": "Ann Lee", "username": "~Ann_Lee1"}], [{"fullname": "Ann Lee"}]),
        ({"type": "author{}", "properties": {"fullname": {"param": {"type": "string"}},
                                              "institutions": {"param": {"type": "object{}", "properties": {
                                                  "name": {"param": {"type": "string"}},
                                                  "domain": {"param": {"type": "string"}}}}}}},
         [{"fullname": "Ann Lee", "institutions": [{"domain": "mit.edu"}]}],
         [{"fullname": "Ann Lee", "institutions": [{"domain": 7}]}]),
    ],
)
def test_param_types_and_specifiers(spec, good, bad):
    template = {"signatures": ["V"], "content": {"field": {"value": {"param": spec}}}}
    assert check_object(template, {"content": {"field": {"value": good}}}, World()).filled["content"]["field"] == {
        "value": good}
    with pytest.raises(ApiError):
        check_object(template, {"content": {"field": {"value": bad}}}, World())


def test_default_is_a_form_prefill_not_a_server_value():
    template = {"signatures": ["V"], "content": {"field": {"value": {"param": {"type": "string", "default": "x"}}}}}
    with pytest.raises(ApiError) as caught:
        check_object(template, {"content": {}}, World())
    assert caught.value.name == "MissingRequiredError"


def test_field_presentation_keys_are_not_values_and_absent_optional_fields_stay_absent():
    template = {"signatures": ["V"], "note": {"content": {
        "tldr": {"order": 5, "description": "short", "value": {"param": {"type": "string", "optional": True,
                                                                          "deletable": True}},
                 "readers": ["V"]},
        "title": {"order": 1, "description": "Title", "value": {"param": {"type": "string"}}}}}}
    filled = check_object(template, {"note": {"content": {"title": {"value": "T"}}}}, World()).filled
    assert filled["note"]["content"] == {"title": {"value": "T"}}
    deleted = check_object(template, {"note": {"content": {"title": {"value": "T"}, "tldr": {"delete": True}}}},
                           World()).filled
    assert deleted["note"]["content"]["tldr"] == {"delete": True}
    with pytest.raises(ApiError):
        check_object(template, {"note": {"content": {"title": {"delete": True}}}}, World())


def test_braced_types_without_properties_are_arrays_of_ids():
    template = {"signatures": ["V"], "content": {"authorids": {"value": {"param": {
        "type": "profile{}", "regex": r"^~\S+$|^.+@.+$", "mismatchError": "must be a valid email or profile ID"}}}}}
    filled = check_object(template, {"content": {"authorids": {"value": ["~Ann_Lee1", "x@y.org"]}}}, World()).filled
    assert filled["content"]["authorids"]["value"] == ["~Ann_Lee1", "x@y.org"]
    with pytest.raises(ApiError) as caught:
        check_object(template, {"content": {"authorids": {"value": ["nobody"]}}}, World())
    assert caught.value.message == "must be a valid email or profile ID"


@pytest.mark.parametrize(
    ("spec", "good", "bad"),
    [
        ({"type": "string", "withForum": "n1"}, "r1", "n2"),
        ({"type": "string", "withVenueid": "V/Submission"}, "n1", "r1"),
        ({"type": "string", "withContent": {"venueid": "V/Submission"}}, "n1", "r1"),
    ],
)
def test_note_constraints(spec, good, bad):
    template = {"signatures": ["V"], "note": {"replyto": {"param": spec}}}
    assert check_object(template, {"note": {"replyto": good}}, World()).filled["note"]["replyto"] == good
    with pytest.raises(ApiError):
        check_object(template, {"note": {"replyto": bad}}, World())


def test_readers_only_field_templates_apply_even_when_the_field_is_not_posted():
    template = {"signatures": ["V"], "note": {"id": {"param": {"withInvitation": "V/-/Submission"}}, "content": {
        "authorids": {"readers": ["V", "V/Submission1/Authors"]},
        "tldr": {"value": {"param": {"type": "string", "optional": True}}, "readers": ["V"]}}}}
    filled = check_object(template, {"note": {"id": "n1"}}, World()).filled
    assert filled["note"]["content"] == {"authorids": {"readers": ["V", "V/Submission1/Authors"]}}


def test_references_inside_param_specifiers_read_the_posted_object():
    template = {"signatures": {"param": {"items": [{"value": "${3/tail}", "optional": True},
                                                   {"value": "V", "optional": True}]}},
                "head": {"param": {"type": "string"}}, "tail": {"param": {"type": "string"}}}
    posted = {"signatures": ["~Rev1"], "head": "n1", "tail": "~Rev1"}
    assert check_object(template, posted, World()).filled["signatures"] == ["~Rev1"]
    with pytest.raises(ApiError) as caught:
        check_object(template, {**posted, "signatures": ["~Other1"]}, World())
    assert caught.value.name == "ItemsError"

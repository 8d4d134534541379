"""``${N/path}`` references: the counting rule, substitution, deferral (notes/api-v2.md §4.4). Pure."""

from __future__ import annotations

from venueops.sandbox.dollar import has_reference, resolve


def test_counting_rule_examples_from_the_docs():
    edit = {
        "signatures": ["~Ann1"],
        "readers": ["V", "${2/signatures}"],
        "note": {
            "number": 7,
            "signatures": ["V/Paper${2/number}/Authors"],
            "writers": ["${3/signatures}"],
            "content": {"authors": {"value": ["A"], "readers": ["${5/signatures}"]}},
        },
        "content": {"venue_id": {"value": "V"}},
        "domain": "${1/content/venue_id/value}",
    }
    out = resolve(edit)
    assert out["readers"] == ["V", "~Ann1"]
    assert out["note"]["signatures"] == ["V/Paper7/Authors"]
    assert out["note"]["writers"] == ["~Ann1"]
    assert out["note"]["content"]["authors"]["readers"] == ["~Ann1"]
    assert out["domain"] == "V"


def test_whole_reference_keeps_the_type_and_splices_arrays():
    edit = {"content": {"n": {"value": 3}, "due": {"value": 1700000000000}, "who": {"value": ["a", "b"]}},
            "invitation": {"id": "V/Submission${2/content/n/value}/-/Review", "duedate": "${2/content/due/value}",
                           "invitees": ["V", "${3/content/who/value}"]}}
    out = resolve(edit)
    assert out["invitation"]["id"] == "V/Submission3/-/Review"
    assert out["invitation"]["duedate"] == 1700000000000
    assert out["invitation"]["invitees"] == ["V", "a", "b"]


def test_missing_values_remove_elements_and_keys_but_stay_visible_in_text():
    edit = {"note": {"readers": ["V", "${2/nonreaders}"], "forum": "${2/nothing}", "id": "X${2/nothing}Y"}}
    out = resolve(edit)
    assert out["note"]["readers"] == ["V"]
    assert "forum" not in out["note"]
    assert out["note"]["id"] == "X${2/nothing}Y"


def test_references_to_values_holding_references_are_resolved_first():
    edit = {"signatures": ["V/Submission1/Reviewer_abcd"],
            "readers": ["${2/note/readers}"],
            "note": {"readers": ["V/Program_Chairs", "${3/signatures}"]}}
    out = resolve(edit)
    assert out["readers"] == ["V/Program_Chairs", "V/Submission1/Reviewer_abcd"]
    assert out["note"]["readers"] == ["V/Program_Chairs", "V/Submission1/Reviewer_abcd"]


def test_nested_template_references_are_deferred_unless_they_reach_the_outer_edit():
    edit = {
        "content": {"noteNumber": {"value": 5}, "noteId": {"value": "abc"}},
        "invitation": {
            "id": "V/Submission${2/content/noteNumber/value}/-/Official_Review",
            "edit": {
                "signatures": {"param": {"items": [
                    {"prefix": "V/Submission${7/content/noteNumber/value}/Reviewer_.*"}]}},
                "readers": ["${2/note/readers}"],
                "note": {
                    "forum": "${4/content/noteId/value}",
                    "writers": ["V", "${3/signatures}"],
                    "id": {"param": {"withInvitation": "V/Submission${6/content/noteNumber/value}/-/Official_Review"}},
                },
            },
        },
    }
    out = resolve(edit)
    template = out["invitation"]["edit"]
    assert out["invitation"]["id"] == "V/Submission5/-/Official_Review"
    assert template["signatures"]["param"]["items"][0]["prefix"] == "V/Submission5/Reviewer_.*"
    assert template["note"]["forum"] == "abc"
    assert template["note"]["id"]["param"]["withInvitation"] == "V/Submission5/-/Official_Review"
    assert template["readers"] == ["${2/note/readers}"]
    assert template["note"]["writers"] == ["V", "${3/signatures}"]


def test_star_maps_over_arrays_and_double_braces_load_an_entity():
    edit = {"note": {"content": {"authors": {"value": [{"username": "~A1"}, {"username": "~B1"}]}},
                     "readers": ["${2/content/authors/value/*/username}"]},
            "head": "n1", "label": "Paper ${{1/head}/number}"}
    notes = {"n1": {"id": "n1", "number": 12}}
    out = resolve(edit, notes.get)
    assert out["note"]["readers"] == ["~A1", "~B1"]
    assert out["label"] == "Paper 12"


def test_code_fields_are_never_scanned():
    edit = {"invitation": {"process": "const x = `${1/id}`", "web": "${2/foo}", "id": "V/-/X"}}
    assert resolve(edit)["invitation"]["process"] == "const x = `${1/id}`"
    assert has_reference("a ${3/b} c") and not has_reference("${x}")


def test_a_reference_with_whole_number_offsets_is_a_number():
    """openreview-py's workflow writes ``expdate: '${2/content/due_date/value}+1800000'``."""
    edit = {"content": {"due": {"value": 1_700_000_000_000}, "name": {"value": "Review"}},
            "invitation": {"expdate": "${2/content/due/value}+1800000",
                           "duedate": "${2/content/due/value} + 10 - 3",
                           "id": "V/-/${2/content/name/value}+1",
                           "description": "x${2/content/due/value}+1"}}
    out = resolve(edit)["invitation"]
    assert out["expdate"] == 1_700_000_000_000 + 1_800_000
    assert out["duedate"] == 1_700_000_000_007
    assert out["id"] == "V/-/Review+1"  # not a number: interpolated as text
    assert out["description"] == "x1700000000000+1"  # not a whole reference: text


def test_offsets_inside_a_stored_template_wait_for_its_use():
    edit = {"invitation": {"id": "V/-/Dates", "edit": {"content": {"due": {"value": {"param": {"type": "date"}}}},
                                                        "invitation": {"expdate": "${2/content/due/value}+5"}}}}
    out = resolve(edit)
    assert out["invitation"]["edit"]["invitation"]["expdate"] == "${2/content/due/value}+5"


def test_references_typed_into_the_edits_content_are_copied_as_written():
    """A Form_Fields edit carries a form whose field is a reference for the invitation it lands in."""
    typed = {"authors": {"value": ["${{4/id}/content/authors/value}"]}}
    edit = {"content": {"content": {"value": typed}},
            "invitation": {"id": "V/-/Full_Submission", "description": "${2/content/content/value}"}}
    out = resolve(edit)
    assert out["invitation"]["description"] == typed
    assert out["content"]["content"]["value"] == typed

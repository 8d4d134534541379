"""Folding edits into entities (notes/api-v2.md §4.2). Pure."""

from __future__ import annotations

from venueops.sandbox.inference import apply_change, fold, merge_entity


def test_plain_fields_replace_and_absent_fields_stay():
    old = {"id": "g", "readers": ["a"], "members": ["x"], "web": "w"}
    new = merge_entity(old, {"id": "g", "readers": ["b"]}, deep=False)
    assert new == {"id": "g", "readers": ["b"], "members": ["x"], "web": "w"}


def test_delete_removes_a_field():
    assert "web" not in merge_entity({"web": "w", "id": "g"}, {"web": {"delete": True}}, deep=False)


def test_content_merges_per_key_and_sub_key():
    old = {"content": {"title": {"value": "T", "readers": ["V"]}, "abstract": {"value": "A"}}}
    new = merge_entity(old, {"content": {"title": {"value": "T2"}, "kw": {"value": ["k"]}}}, deep=False)
    assert new["content"] == {"title": {"value": "T2", "readers": ["V"]}, "abstract": {"value": "A"},
                              "kw": {"value": ["k"]}}
    dropped = merge_entity(new, {"content": {"title": {"readers": {"delete": True}},
                                             "abstract": {"value": {"delete": True}}, "kw": {"delete": True}}},
                           deep=False)
    assert dropped["content"] == {"title": {"value": "T2"}}


def test_invitations_merge_at_every_depth():
    old = {"edit": {"note": {"content": {"a": {"value": {"param": {"type": "string"}}},
                                         "b": {"value": {"param": {"type": "integer"}}}}}}, "duedate": 1}
    new = merge_entity(old, {"edit": {"note": {"content": {"b": {"delete": True},
                                                           "c": {"value": {"param": {"type": "float"}}}}}}},
                       deep=True)
    assert new["edit"]["note"]["content"] == {"a": {"value": {"param": {"type": "string"}}},
                                               "c": {"value": {"param": {"type": "float"}}}}
    assert new["duedate"] == 1


def test_array_change_objects():
    assert apply_change(["pc", "pc2"], {"remove": ["pc2"], "add": ["pc3"]}) == ["pc", "pc3"]
    assert apply_change(["a"], {"append": ["b", "a"]}) == ["a", "b"]
    assert apply_change(["a", "b"], {"remove": ["z"]}) == ["a", "b"]
    assert apply_change(["a", "b"], {"replace": {"index": 1, "value": "c"}}) == ["a", "c"]
    assert apply_change(None, {"add": ["x"]}) == ["x"]
    assert merge_entity({"members": ["a"]}, {"members": {"add": ["b"]}}, deep=False)["members"] == ["a", "b"]


def test_replacement_restarts_the_fold():
    edits = [({"id": "i", "readers": ["a"], "web": "w"}, False),
             ({"id": "i", "readers": ["b"]}, True),
             ({"id": "i", "duedate": 5}, False)]
    assert fold(edits, deep=True) == {"id": "i", "readers": ["b"], "duedate": 5}


def test_template_constants_that_say_delete_are_values():
    old = {"edit": {"invitation": {"description": {"param": {"const": {"delete": True}}}}}}
    new = merge_entity(old, {"edit": {"invitation": {"description": {"param": {"const": {"delete": True}}},
                                                     "duedate": 5}}}, deep=True)
    assert new["edit"]["invitation"] == {"description": {"param": {"const": {"delete": True}}}, "duedate": 5}
    dropped = merge_entity(new, {"edit": {"invitation": {"description": {"delete": True}}}}, deep=True)
    assert dropped["edit"]["invitation"] == {"duedate": 5}

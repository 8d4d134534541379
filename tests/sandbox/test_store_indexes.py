"""Every column the store's statements filter on has an index, and databases made before an index
was added get it when they are opened (``CREATE INDEX IF NOT EXISTS`` runs on every open)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from venueops.sandbox.store import SCHEMA_VERSION, EdgeFilter, NoteFilter, Store, TagFilter

# (table, indexed columns in order) for the columns filtered on by domain, number, label, tag fields...
ADDED = {
    "groups_domain": ("groups", ["domain"]),
    "invitations_domain": ("invitations", ["domain"]),
    "notes_domain": ("notes", ["domain"]),
    "notes_number": ("notes", ["number"]),
    "notes_tcdate": ("notes", ["tcdate"]),
    "edits_domain": ("edits", ["kind", "domain"]),
    "edges_label": ("edges", ["label"]),
    "edges_domain": ("edges", ["domain"]),
    "tags_note": ("tags", ["note"]),
    "tags_profile": ("tags", ["profile"]),
    "tags_forum": ("tags", ["forum"]),
    "tags_signature": ("tags", ["signature"]),
    "tags_domain": ("tags", ["domain"]),
}


def _indexes(path: Path) -> dict[str, tuple[str, list[str]]]:
    conn = sqlite3.connect(path)
    try:
        out = {}
        for name, table in conn.execute("SELECT name, tbl_name FROM sqlite_master WHERE type = 'index'"):
            columns = [row[2] for row in conn.execute(f"PRAGMA index_info({name})")]
            out[name] = (table, columns)
        return out
    finally:
        conn.close()


def test_new_database_has_the_indexes(tmp_path: Path) -> None:
    db = tmp_path / "new.db"
    Store(db).close()
    indexes = _indexes(db)
    for name, shape in ADDED.items():
        assert indexes.get(name) == shape, name


def test_an_older_database_gets_them_on_open(tmp_path: Path) -> None:
    db = tmp_path / "old.db"
    store = Store(db)
    store.put_group({"id": "G", "domain": "D", "members": []}, old=None)
    store.close()
    conn = sqlite3.connect(db)
    for name in ADDED:
        conn.execute(f"DROP INDEX {name}")
    conn.commit()
    conn.close()
    assert not set(ADDED) & set(_indexes(db))

    reopened = Store(db)  # same schema version: the database opens as it is, and is indexed
    try:
        assert reopened.get_meta("schema_version") == str(SCHEMA_VERSION)
        assert [g["id"] for g in reopened.all_groups("D")] == ["G"]
    finally:
        reopened.close()
    assert set(ADDED) <= set(_indexes(db))


def _plan(store: Store, sql: str, args: list[object]) -> str:
    return " ".join(row[-1] for row in store._conn.execute(f"EXPLAIN QUERY PLAN {sql}", args))


def test_broad_columns_do_not_take_over_a_selective_filter() -> None:
    """A domain (or number, label, tcdate) index is used when it is the only filter, not in place of
    a forum, invitation or head filter given with it."""
    from venueops.sandbox.store import _note_where

    store = Store(None)
    try:
        clause, args = _note_where(NoteFilter(domain="D"))
        assert "notes_domain" in _plan(store, f"SELECT n.id FROM notes n{clause}", args)
        clause, args = _note_where(NoteFilter(domain="D", forum="F", numbers=(1,), mintcdate=0))
        assert "notes_forum" in _plan(store, f"SELECT n.id FROM notes n{clause}", args)
        clause, args = _note_where(NoteFilter(invitations=("I",), numbers=(1,)))
        assert "notes_number" not in _plan(store, f"SELECT n.id FROM notes n{clause}", args)
        clause, args = _note_where(NoteFilter(numbers=(1,)))
        assert "notes_number" in _plan(store, f"SELECT n.id FROM notes n{clause}", args)
    finally:
        store.close()


def test_filters_match_as_before() -> None:
    store = Store(None)
    try:
        with store.transaction():
            for number, (forum, domain) in enumerate([("F", "D"), ("F", "E"), ("H", "D")], start=1):
                store.put_note({"id": f"n{number}", "number": number, "forum": forum, "domain": domain,
                                "tcdate": number, "invitations": [f"I{number % 2}"]}, old=None)
            store.put_edge({"id": "e1", "invitation": "EI", "head": "h", "tail": "t", "label": "L", "domain": "D"})
            store.put_edge({"id": "e2", "invitation": "EI", "head": "h", "tail": "u", "domain": "E"})
            store.put_tag({"id": "t1", "invitation": "TI", "note": "n1", "domain": "D"})
        assert sorted(n["id"] for n in store.notes_matching(NoteFilter(forum="F", domain="D"))) == ["n1"]
        assert sorted(n["id"] for n in store.notes_matching(NoteFilter(invitations=("I1",), mintcdate=2))) == ["n3"]
        assert sorted(s.id for s in store.note_summaries(NoteFilter(numbers=(2, 3)))) == ["n2", "n3"]
        assert sorted(n["id"] for n in store.notes_matching(NoteFilter())) == ["n1", "n2", "n3"]
        assert [e["id"] for e in store.edges_matching(EdgeFilter(invitation="EI", label="L"))] == ["e1"]
        assert [e["id"] for e in store.edges_matching(EdgeFilter(domain="E"))] == ["e2"]
        assert [e["id"] for e in store.edges_between("EI", "h", "u")] == ["e2"]
        assert [t["id"] for t in store.tags_matching(TagFilter(note="n1", domain="D"))] == ["t1"]
        assert [t["id"] for t in store.tags_matching(TagFilter())] == ["t1"]
    finally:
        store.close()

"""SQLite persistence for the sandbox: the only module that speaks SQL (with ``sql.py``, its helper).

Services ask for what they need by name (``notes_matching``, ``group_ids_with_prefix``,
``edges_between``) with plain Python filter values (``NoteFilter``, ``EdgeFilter``, ``TagFilter``);
no SQL text crosses this module's boundary, so every statement and every index it relies on can be
read here in one place.

Entities (groups, invitations, notes, edges, tags, profiles) are stored as JSON documents next to the
columns queries filter on, plus side tables for list-valued fields that queries search
(``group_members``, ``group_signatories``, ``note_invitations``, ``invitation_parents``). Every edit
is kept in ``edits`` in posting order (``seq``), so an entity can always be rebuilt from its edits.

Indexes: every column a statement filters on has one. Indexes added to the schema script reach
existing databases on open (``CREATE INDEX IF NOT EXISTS`` runs each time a store opens), so they
need no schema version of their own.

Concurrency: one connection and one re-entrant lock. Every request runs under the lock; a
mutating request runs inside one ``BEGIN IMMEDIATE`` transaction, so a rejected request changes
nothing (the transaction rolls back and the in-memory caches are dropped). Serialising is the right
trade for a sandbox: it makes concurrent clients see exactly the ordering a single server gives.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
import threading
import uuid
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from venueops.sandbox.sql import PREFIX_END, Where, glob_superset, literal_head, marks

SCHEMA_VERSION = 2

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS groups (
    id TEXT PRIMARY KEY, domain TEXT, ddate INTEGER, tcdate INTEGER, tmdate INTEGER, data TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS groups_domain ON groups(domain);
CREATE TABLE IF NOT EXISTS group_members (
    group_id TEXT NOT NULL, member TEXT NOT NULL, PRIMARY KEY (group_id, member)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS group_members_member ON group_members(member);
CREATE TABLE IF NOT EXISTS group_signatories (
    group_id TEXT NOT NULL, signatory TEXT NOT NULL, PRIMARY KEY (group_id, signatory)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS group_signatories_signatory ON group_signatories(signatory);
CREATE TABLE IF NOT EXISTS invitations (
    id TEXT PRIMARY KEY, domain TEXT, ddate INTEGER, cdate INTEGER, expdate INTEGER, duedate INTEGER,
    tcdate INTEGER, tmdate INTEGER, kind TEXT, data TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS invitations_domain ON invitations(domain);
CREATE TABLE IF NOT EXISTS invitation_parents (
    invitation_id TEXT NOT NULL, parent TEXT NOT NULL, PRIMARY KEY (invitation_id, parent)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS invitation_parents_parent ON invitation_parents(parent);
CREATE TABLE IF NOT EXISTS notes (
    id TEXT PRIMARY KEY, number INTEGER, forum TEXT, replyto TEXT, domain TEXT, ddate INTEGER,
    cdate INTEGER, tcdate INTEGER, tmdate INTEGER, readers TEXT, nonreaders TEXT, data TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS notes_forum ON notes(forum);
CREATE INDEX IF NOT EXISTS notes_replyto ON notes(replyto);
CREATE INDEX IF NOT EXISTS notes_domain ON notes(domain);
CREATE INDEX IF NOT EXISTS notes_number ON notes(number);
CREATE INDEX IF NOT EXISTS notes_tcdate ON notes(tcdate);
CREATE TABLE IF NOT EXISTS note_invitations (
    note_id TEXT NOT NULL, invitation TEXT NOT NULL, PRIMARY KEY (note_id, invitation)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS note_invitations_invitation ON note_invitations(invitation, note_id);
CREATE TABLE IF NOT EXISTS note_numbers (invitation TEXT PRIMARY KEY, last INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS edits (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, kind TEXT NOT NULL,
    entity_id TEXT NOT NULL, invitation TEXT, domain TEXT, tcdate INTEGER, ddate INTEGER, data TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS edits_entity ON edits(kind, entity_id, seq);
CREATE INDEX IF NOT EXISTS edits_invitation ON edits(kind, invitation);
CREATE INDEX IF NOT EXISTS edits_domain ON edits(kind, domain);
CREATE TABLE IF NOT EXISTS edges (
    id TEXT PRIMARY KEY, invitation TEXT NOT NULL, head TEXT, tail TEXT, label TEXT, domain TEXT,
    ddate INTEGER, tcdate INTEGER, tmdate INTEGER, data TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS edges_invitation ON edges(invitation, head, tail);
CREATE INDEX IF NOT EXISTS edges_head ON edges(head);
CREATE INDEX IF NOT EXISTS edges_tail ON edges(tail);
CREATE INDEX IF NOT EXISTS edges_label ON edges(label);
CREATE INDEX IF NOT EXISTS edges_domain ON edges(domain);
CREATE TABLE IF NOT EXISTS tags (
    id TEXT PRIMARY KEY, invitation TEXT, note TEXT, profile TEXT, forum TEXT, signature TEXT, domain TEXT,
    ddate INTEGER, tcdate INTEGER, tmdate INTEGER, data TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS tags_invitation ON tags(invitation);
CREATE INDEX IF NOT EXISTS tags_note ON tags(note);
CREATE INDEX IF NOT EXISTS tags_profile ON tags(profile);
CREATE INDEX IF NOT EXISTS tags_forum ON tags(forum);
CREATE INDEX IF NOT EXISTS tags_signature ON tags(signature);
CREATE INDEX IF NOT EXISTS tags_domain ON tags(domain);
CREATE TABLE IF NOT EXISTS profiles (
    id TEXT PRIMARY KEY, state TEXT, tcdate INTEGER, tmdate INTEGER, data TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS profile_names (username TEXT PRIMARY KEY, profile_id TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS profile_emails (
    email TEXT NOT NULL, profile_id TEXT NOT NULL, confirmed INTEGER NOT NULL,
    PRIMARY KEY (email, profile_id)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS profile_emails_profile ON profile_emails(profile_id);
CREATE TABLE IF NOT EXISTS users (
    login TEXT PRIMARY KEY, profile_id TEXT NOT NULL, password_hash TEXT);
CREATE TABLE IF NOT EXISTS messages (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL, recipient TEXT NOT NULL, profile_id TEXT,
    status TEXT NOT NULL, created INTEGER, data TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS messages_recipient ON messages(recipient);
CREATE TABLE IF NOT EXISTS process_logs (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL, invitation TEXT, status TEXT NOT NULL,
    process_index INTEGER NOT NULL, executed_on TEXT NOT NULL, sdate INTEGER, edate INTEGER, log TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS process_logs_id ON process_logs(id);
CREATE INDEX IF NOT EXISTS process_logs_status ON process_logs(status);
CREATE TABLE IF NOT EXISTS process_jobs (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, log_seq INTEGER NOT NULL, taken INTEGER NOT NULL DEFAULT 0,
    data TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS process_jobs_taken ON process_jobs(taken, seq);
CREATE TABLE IF NOT EXISTS date_firings (
    invitation TEXT NOT NULL, process_index INTEGER NOT NULL, date_index INTEGER NOT NULL, at INTEGER NOT NULL,
    fired INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (invitation, process_index, date_index, at)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS date_firings_due ON date_firings(fired, at);
CREATE TABLE IF NOT EXISTS attachments (
    id TEXT PRIMARY KEY, content_type TEXT NOT NULL, size INTEGER NOT NULL, tcdate INTEGER, data BLOB NOT NULL);
"""

ENTITY_TABLES = ("groups", "invitations", "notes", "edges", "tags", "profiles")


@dataclass(frozen=True)
class NoteFilter:
    """The note filters SQL answers from indexed columns; None (or empty) means "any"."""

    forum: str | None = None
    replyto: str | None = None
    domain: str | None = None
    mintcdate: int | None = None
    invitations: tuple[str, ...] = ()  # any of them
    numbers: tuple[int, ...] = ()  # any of them


class NoteSummary(NamedTuple):
    """A note's indexed columns, read without decoding its document (``readers`` and ``nonreaders``
    are JSON text: equal lists share one text, so a caller can decode each distinct one once)."""

    id: str
    number: int | None
    tcdate: int | None
    tmdate: int | None
    cdate: int | None
    ddate: int | None
    readers: str
    nonreaders: str


class InvitationRow(NamedTuple):
    """An invitation with the indexed columns a listing filters on before decoding anything more."""

    domain: str | None
    kind: str | None
    invitation: dict[str, Any]


@dataclass(frozen=True)
class EdgeFilter:
    """Edge columns to match exactly; None means "any"."""

    id: str | None = None
    invitation: str | None = None
    head: str | None = None
    tail: str | None = None
    label: str | None = None
    domain: str | None = None


@dataclass(frozen=True)
class TagFilter:
    """Tag columns to match exactly; None means "any".

    ``label`` is not a column of ``tags`` (a tag's label lives in its document): it is matched on the
    documents the column conditions select.
    """

    id: str | None = None
    invitation: str | None = None
    note: str | None = None
    profile: str | None = None
    forum: str | None = None
    signature: str | None = None
    domain: str | None = None
    label: str | None = None


def dumps(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def loads(text: str) -> Any:
    return json.loads(text)


class Store:
    """A sandbox database. ``path=None`` keeps it in memory (gone when the process ends)."""

    def __init__(self, path: str | Path | None) -> None:
        self.path = None if path is None else Path(path)
        if self.path is None:
            target = f"file:venueops-sandbox-{uuid.uuid4().hex}?mode=memory"
        else:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            target = self.path.resolve().as_uri()  # escapes '#', '?', '%' and spaces
        self.lock = threading.RLock()
        self._conn = sqlite3.connect(target, uri=True, check_same_thread=False, isolation_level=None)
        self._conn.execute("PRAGMA foreign_keys = OFF")
        if self.path is not None:
            self._conn.execute("PRAGMA journal_mode = WAL")
            self._conn.execute("PRAGMA synchronous = NORMAL")
        self._conn.execute("PRAGMA cache_size = -65536")
        self._conn.execute("PRAGMA temp_store = MEMORY")
        self._in_transaction = False
        self._caches: dict[str, dict[str, Any]] = {"groups": {}, "invitations": {}}
        self.membership_version = 0
        with self.lock:
            self._conn.executescript(_SCHEMA)
            self._check_schema_version()

    # -- lifecycle -----------------------------------------------------------------------------
    def _check_schema_version(self) -> None:
        row = self._conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        if row is None:
            self._conn.execute(
                "INSERT INTO meta (key, value) VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),)
            )
        elif int(row[0]) != SCHEMA_VERSION:
            raise RuntimeError(
                f"{self.path}: sandbox database schema {row[0]} is not {SCHEMA_VERSION}; "
                "start with a new --db file"
            )

    def close(self) -> None:
        with self.lock:
            self._conn.close()

    def wipe(self) -> None:
        """Drop every row (the control plane's reset); the caller re-seeds."""
        with self.transaction():
            for table in (
                "groups", "group_members", "group_signatories", "invitations", "invitation_parents", "notes",
                "note_invitations", "note_numbers", "edits", "edges", "tags", "profiles", "profile_names",
                "profile_emails", "users", "process_logs", "process_jobs", "date_firings", "messages", "attachments",
            ):
                self._conn.execute(f"DELETE FROM {table}")
            self._conn.execute("DELETE FROM meta WHERE key != 'schema_version'")
            self._conn.execute("DELETE FROM sqlite_sequence WHERE name IN "
                               "('edits', 'process_logs', 'process_jobs', 'messages')")
            self._drop_caches()

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """Run the block atomically; nested use joins the outer transaction."""
        with self.lock:
            if self._in_transaction:
                yield
                return
            self._conn.execute("BEGIN IMMEDIATE")
            self._in_transaction = True
            try:
                yield
            except BaseException:
                self._conn.execute("ROLLBACK")
                self._drop_caches()
                raise
            else:
                self._conn.execute("COMMIT")
            finally:
                self._in_transaction = False

    @contextlib.contextmanager
    def reading(self) -> Iterator[None]:
        with self.lock:
            yield

    def _drop_caches(self) -> None:
        for cache in self._caches.values():
            cache.clear()
        self.membership_version += 1

    # -- meta ----------------------------------------------------------------------------------
    def get_meta(self, key: str) -> str | None:
        row = self._conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def set_meta(self, key: str, value: str) -> None:
        self._conn.execute(
            "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (key, value),
        )

    # -- generic -------------------------------------------------------------------------------
    def _query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        return self._conn.execute(sql, params).fetchall()

    def count_rows(self, table: str) -> int:
        if table not in (*ENTITY_TABLES, "edits", "users"):
            raise ValueError(table)
        return int(self._conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])

    def _load_many(self, sql: str, params: Sequence[Any] = (), *, with_columns: bool = False) -> list[Any]:
        """Rows whose last column is a JSON document → decoded documents (with the other columns
        as a tuple beside each document when ``with_columns``)."""
        if with_columns:
            return [(tuple(row[:-1]), loads(row[-1])) for row in self._conn.execute(sql, params)]
        return [loads(row[-1]) for row in self._conn.execute(sql, params)]

    def _load_by_ids(self, table: str, ids: Sequence[str], *, extra: Sequence[str] = ()) -> list[Any]:
        """Documents of ``table`` with these ids, in chunks (SQLite limits bound parameters)."""
        if table not in ENTITY_TABLES:
            raise ValueError(table)
        columns = "".join(f"{c}, " for c in extra)
        out: list[Any] = []
        for chunk in _chunks(list(ids), 500):
            out.extend(self._load_many(f"SELECT {columns}data FROM {table} WHERE id IN ({marks(len(chunk))})",
                                       chunk, with_columns=bool(extra)))
        return out

    def _ids_with_prefix(self, table: str, pattern: str) -> list[str]:
        """Ids of ``table`` that may match ``pattern`` (a regex anchored at the start): an index range
        scan over the pattern's literal head narrowed by a GLOB superset. A superset: the caller
        still matches the regex."""
        if table not in ("groups", "invitations"):
            raise ValueError(table)
        head = literal_head(pattern)
        rows = self._query(f"SELECT id FROM {table} WHERE id >= ? AND id < ? AND id GLOB ?",
                           (head, head + PREFIX_END, glob_superset(pattern)))
        return [row[0] for row in rows]

    # -- groups --------------------------------------------------------------------------------
    def get_group(self, group_id: str) -> dict[str, Any] | None:
        cache = self._caches["groups"]
        if group_id in cache:
            return cache[group_id]
        row = self._conn.execute("SELECT data FROM groups WHERE id = ?", (group_id,)).fetchone()
        group = None if row is None else loads(row[0])
        _remember(cache, group_id, group)
        return group

    def put_group(self, group: dict[str, Any], *, old: dict[str, Any] | None) -> None:
        group_id = group["id"]
        self._conn.execute(
            "INSERT INTO groups (id, domain, ddate, tcdate, tmdate, data) VALUES (?, ?, ?, ?, ?, ?) "
            "ON CONFLICT(id) DO UPDATE SET domain = excluded.domain, ddate = excluded.ddate, "
            "tcdate = excluded.tcdate, tmdate = excluded.tmdate, data = excluded.data",
            (group_id, group.get("domain"), group.get("ddate"), group.get("tcdate"), group.get("tmdate"),
             dumps(group)),
        )
        old_members = list(old.get("members") or []) if old else []
        new_members = list(group.get("members") or [])
        if old is None or old_members != new_members or (old.get("ddate") != group.get("ddate")):
            self._replace_side(
                "group_members", "group_id", "member", group_id, old_members if old else None, new_members
            )
            self.membership_version += 1
        old_signatories = list(old.get("signatories") or []) if old else []
        new_signatories = list(group.get("signatories") or [])
        if old is None or old_signatories != new_signatories:
            self._replace_side(
                "group_signatories", "group_id", "signatory", group_id,
                old_signatories if old else None, new_signatories,
            )
            self.membership_version += 1
        _remember(self._caches["groups"], group_id, group)

    def delete_group(self, group_id: str) -> None:
        self._conn.execute("DELETE FROM groups WHERE id = ?", (group_id,))
        self._conn.execute("DELETE FROM group_members WHERE group_id = ?", (group_id,))
        self._conn.execute("DELETE FROM group_signatories WHERE group_id = ?", (group_id,))
        self._conn.execute("DELETE FROM edits WHERE kind = 'group' AND entity_id = ?", (group_id,))
        self._caches["groups"].pop(group_id, None)
        self.membership_version += 1

    def groups_with_members(self, members: Iterable[str], now: int) -> set[str]:
        """Ids of live groups that list any of ``members`` directly."""
        found: set[str] = set()
        batch = list(members)
        for chunk in _chunks(batch, 500):
            rows = self._conn.execute(
                f"SELECT gm.group_id FROM group_members gm JOIN groups g ON g.id = gm.group_id "
                f"WHERE gm.member IN ({marks(len(chunk))}) AND (g.ddate IS NULL OR g.ddate > ?)",
                [*chunk, now],
            )
            found.update(row[0] for row in rows)
        return found

    def groups_with_signatories(self, signatories: Iterable[str], now: int) -> set[str]:
        found: set[str] = set()
        for chunk in _chunks(list(signatories), 500):
            rows = self._conn.execute(
                f"SELECT gs.group_id FROM group_signatories gs JOIN groups g ON g.id = gs.group_id "
                f"WHERE gs.signatory IN ({marks(len(chunk))}) AND (g.ddate IS NULL OR g.ddate > ?)",
                [*chunk, now],
            )
            found.update(row[0] for row in rows)
        return found

    def member_of(self, member: str, group_id: str) -> bool:
        row = self._conn.execute(
            "SELECT 1 FROM group_members WHERE group_id = ? AND member = ?", (group_id, member)
        ).fetchone()
        return row is not None

    def all_groups(self, domain: str | None = None) -> list[dict[str, Any]]:
        """Every group, or those of ``domain`` (deleted ones included)."""
        if domain is not None:
            return self._load_many("SELECT data FROM groups WHERE domain = ?", (domain,))
        return self._load_many("SELECT data FROM groups")

    def groups_by_ids(self, group_ids: Sequence[str]) -> list[dict[str, Any]]:
        """The groups among ``group_ids`` that exist."""
        return self._load_by_ids("groups", group_ids)

    def groups_with_id_prefix(self, prefix: str) -> list[dict[str, Any]]:
        """Groups whose id starts with the literal ``prefix``, in id order."""
        return self._load_many("SELECT data FROM groups WHERE id >= ? AND id < ?", (prefix, prefix + PREFIX_END))

    def group_ids_with_prefix(self, pattern: str) -> list[str]:
        """Group ids that may match ``pattern``, a regex anchored at the start (a superset)."""
        return self._ids_with_prefix("groups", pattern)

    def group_ids_with_direct_member(self, member: str) -> set[str]:
        """Ids of the groups that list ``member`` directly (deleted groups included)."""
        return {row[0] for row in self._query("SELECT group_id FROM group_members WHERE member = ?", (member,))}

    # -- invitations ---------------------------------------------------------------------------
    def get_invitation(self, invitation_id: str) -> dict[str, Any] | None:
        cache = self._caches["invitations"]
        if invitation_id in cache:
            return cache[invitation_id]
        row = self._conn.execute("SELECT data FROM invitations WHERE id = ?", (invitation_id,)).fetchone()
        invitation = None if row is None else loads(row[0])
        _remember(cache, invitation_id, invitation)
        return invitation

    def put_invitation(self, invitation: dict[str, Any], *, old: dict[str, Any] | None, kind: str) -> None:
        invitation_id = invitation["id"]
        self._conn.execute(
            "INSERT INTO invitations (id, domain, ddate, cdate, expdate, duedate, tcdate, tmdate, kind, data) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET domain = excluded.domain, "
            "ddate = excluded.ddate, cdate = excluded.cdate, expdate = excluded.expdate, "
            "duedate = excluded.duedate, tcdate = excluded.tcdate, tmdate = excluded.tmdate, "
            "kind = excluded.kind, data = excluded.data",
            (invitation_id, invitation.get("domain"), invitation.get("ddate"), invitation.get("cdate"),
             invitation.get("expdate"), invitation.get("duedate"), invitation.get("tcdate"),
             invitation.get("tmdate"), kind, dumps(invitation)),
        )
        old_parents = list(old.get("invitations") or []) if old else None
        new_parents = list(invitation.get("invitations") or [])
        if old_parents != new_parents:
            self._replace_side("invitation_parents", "invitation_id", "parent", invitation_id, old_parents,
                               new_parents)
        _remember(self._caches["invitations"], invitation_id, invitation)

    def delete_invitation(self, invitation_id: str) -> None:
        self._conn.execute("DELETE FROM invitations WHERE id = ?", (invitation_id,))
        self._conn.execute("DELETE FROM invitation_parents WHERE invitation_id = ?", (invitation_id,))
        self._conn.execute("DELETE FROM edits WHERE kind = 'invitation' AND entity_id = ?", (invitation_id,))
        self._caches["invitations"].pop(invitation_id, None)

    def invitation_rows(self, domain: str | None = None) -> list[InvitationRow]:
        """Every invitation, or those of ``domain``, with its domain and kind columns."""
        if domain is not None:
            rows = self._load_many("SELECT domain, kind, data FROM invitations WHERE domain = ?", (domain,),
                                   with_columns=True)
        else:
            rows = self._load_many("SELECT domain, kind, data FROM invitations", with_columns=True)
        return [InvitationRow(*columns, invitation) for columns, invitation in rows]

    def invitation_rows_by_ids(self, invitation_ids: Sequence[str]) -> list[InvitationRow]:
        """The invitations among ``invitation_ids`` that exist, with their domain and kind columns."""
        rows = self._load_by_ids("invitations", invitation_ids, extra=("domain", "kind"))
        return [InvitationRow(*columns, invitation) for columns, invitation in rows]

    def invitation_ids_with_prefix(self, pattern: str) -> list[str]:
        """Invitation ids that may match ``pattern``, a regex anchored at the start (a superset)."""
        return self._ids_with_prefix("invitations", pattern)

    def invitation_ids_with_parent(self, parent: str) -> set[str]:
        """Ids of the invitations that name ``parent`` among their ``invitations``."""
        return {row[0] for row in self._query(
            "SELECT invitation_id FROM invitation_parents WHERE parent = ?", (parent,))}

    # -- notes ---------------------------------------------------------------------------------
    def get_note(self, note_id: str) -> dict[str, Any] | None:
        row = self._conn.execute("SELECT data FROM notes WHERE id = ?", (note_id,)).fetchone()
        return None if row is None else loads(row[0])

    def note_forum(self, note_id: str) -> tuple[str | None, int | None] | None:
        """``(forum, ddate)`` of a note without decoding it, or None when there is no such note."""
        row = self._conn.execute("SELECT forum, ddate FROM notes WHERE id = ?", (note_id,)).fetchone()
        return None if row is None else (row[0], row[1])

    def put_note(self, note: dict[str, Any], *, old: dict[str, Any] | None) -> None:
        note_id = note["id"]
        self._conn.execute(
            "INSERT INTO notes (id, number, forum, replyto, domain, ddate, cdate, tcdate, tmdate, readers, "
            "nonreaders, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET "
            "number = excluded.number, forum = excluded.forum, replyto = excluded.replyto, "
            "domain = excluded.domain, ddate = excluded.ddate, cdate = excluded.cdate, "
            "tcdate = excluded.tcdate, tmdate = excluded.tmdate, readers = excluded.readers, "
            "nonreaders = excluded.nonreaders, data = excluded.data",
            (note_id, note.get("number"), note.get("forum"), note.get("replyto"), note.get("domain"),
             note.get("ddate"), note.get("cdate"), note.get("tcdate"), note.get("tmdate"),
             dumps(note.get("readers") or []), dumps(note.get("nonreaders") or []), dumps(note)),
        )
        old_invitations = list(old.get("invitations") or []) if old else None
        new_invitations = list(note.get("invitations") or [])
        if old_invitations != new_invitations:
            self._replace_side("note_invitations", "note_id", "invitation", note_id, old_invitations,
                               new_invitations)

    def delete_note(self, note_id: str) -> None:
        self._conn.execute("DELETE FROM notes WHERE id = ?", (note_id,))
        self._conn.execute("DELETE FROM note_invitations WHERE note_id = ?", (note_id,))
        self._conn.execute("DELETE FROM edits WHERE kind = 'note' AND entity_id = ?", (note_id,))

    def next_note_number(self, invitation_id: str) -> int:
        row = self._conn.execute(
            "INSERT INTO note_numbers (invitation, last) VALUES (?, 1) "
            "ON CONFLICT(invitation) DO UPDATE SET last = last + 1 RETURNING last",
            (invitation_id,),
        ).fetchone()
        return int(row[0])

    def notes_by_ids(self, note_ids: Sequence[str]) -> list[dict[str, Any]]:
        """The notes among ``note_ids`` that exist."""
        return self._load_by_ids("notes", note_ids)

    def notes_matching(self, where: NoteFilter) -> list[dict[str, Any]]:
        """The notes (deleted ones included) that pass ``where``."""
        clause, args = _note_where(where)
        return self._load_many(f"SELECT n.id, n.data FROM notes n{clause}", args)

    def note_summaries(self, where: NoteFilter) -> list[NoteSummary]:
        """The indexed columns of the notes that pass ``where``, decoding no document."""
        clause, args = _note_where(where)
        rows = self._query(
            f"SELECT n.id, n.number, n.tcdate, n.tmdate, n.cdate, n.ddate, n.readers, n.nonreaders "
            f"FROM notes n{clause}", args)
        return [NoteSummary(*row) for row in rows]

    def notes_with_invitation(self, invitation_id: str) -> list[dict[str, Any]]:
        """The notes (deleted ones included) that list ``invitation_id`` among their invitations."""
        return self._load_many(
            "SELECT n.data FROM note_invitations ni JOIN notes n ON n.id = ni.note_id WHERE ni.invitation = ?",
            (invitation_id,),
        )

    def forum_replies(self, forum_id: str) -> list[dict[str, Any]]:
        """The notes of forum ``forum_id`` other than the forum note itself (deleted ones included)."""
        return self._load_many("SELECT data FROM notes WHERE forum = ? AND id != ?", (forum_id, forum_id))

    # -- edits ---------------------------------------------------------------------------------
    def insert_edit(self, kind: str, edit: dict[str, Any], entity_id: str) -> int:
        cursor = self._conn.execute(
            "INSERT INTO edits (id, kind, entity_id, invitation, domain, tcdate, ddate, data) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (edit["id"], kind, entity_id, _edit_invitation(edit), edit.get("domain"), edit.get("tcdate"),
             edit.get("ddate"), dumps(edit)),
        )
        return int(cursor.lastrowid or 0)

    def update_edit(self, kind: str, edit: dict[str, Any], entity_id: str) -> None:
        self._conn.execute(
            "UPDATE edits SET entity_id = ?, invitation = ?, domain = ?, ddate = ?, data = ? WHERE id = ?",
            (entity_id, _edit_invitation(edit), edit.get("domain"), edit.get("ddate"), dumps(edit), edit["id"]),
        )

    def get_edit(self, edit_id: str) -> tuple[str, str, dict[str, Any]] | None:
        row = self._conn.execute("SELECT kind, entity_id, data FROM edits WHERE id = ?", (edit_id,)).fetchone()
        return None if row is None else (row[0], row[1], loads(row[2]))

    def edits_of(self, kind: str, entity_id: str) -> list[dict[str, Any]]:
        """All edits of one entity, oldest first (deleted ones included)."""
        return self._load_many(
            "SELECT seq, data FROM edits WHERE kind = ? AND entity_id = ? ORDER BY seq", (kind, entity_id)
        )

    def edits_matching(
        self, kind: str, *, ids: Sequence[str] = (), entity_id: str | None = None, invitation: str | None = None,
        domain: str | None = None,
    ) -> list[dict[str, Any]]:
        """Edits of ``kind`` (deleted ones included) with one of ``ids`` (when given), of the entity
        ``entity_id``, made through ``invitation`` and in ``domain``; None (or empty) means "any"."""
        where = Where()
        where.equal("e.kind", kind, role="neutral")
        where.among("e.id", list(ids))
        where.equal("e.entity_id", entity_id)
        where.equal("e.invitation", invitation)
        where.equal("e.domain", domain, role="secondary")
        clause, args = where.clause()
        return self._load_many(f"SELECT e.data FROM edits e{clause}", args)

    # -- edges and tags ------------------------------------------------------------------------
    def get_edge(self, edge_id: str) -> dict[str, Any] | None:
        row = self._conn.execute("SELECT data FROM edges WHERE id = ?", (edge_id,)).fetchone()
        return None if row is None else loads(row[0])

    def put_edge(self, edge: dict[str, Any]) -> None:
        self._conn.execute(
            "INSERT INTO edges (id, invitation, head, tail, label, domain, ddate, tcdate, tmdate, data) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET invitation = excluded.invitation, "
            "head = excluded.head, tail = excluded.tail, label = excluded.label, domain = excluded.domain, "
            "ddate = excluded.ddate, tcdate = excluded.tcdate, tmdate = excluded.tmdate, data = excluded.data",
            (edge["id"], edge["invitation"], edge.get("head"), edge.get("tail"), edge.get("label"),
             edge.get("domain"), edge.get("ddate"), edge.get("tcdate"), edge.get("tmdate"), dumps(edge)),
        )

    def delete_edges(self, ids: Sequence[str]) -> None:
        for chunk in _chunks(list(ids), 500):
            self._conn.execute(f"DELETE FROM edges WHERE id IN ({marks(len(chunk))})", chunk)

    def edges_between(self, invitation: str, head: str, tail: str) -> list[dict[str, Any]]:
        """The edges of ``invitation`` from ``head`` to ``tail`` (deleted ones included)."""
        return self._load_many("SELECT data FROM edges WHERE invitation = ? AND head = ? AND tail = ?",
                               (invitation, head, tail))

    def edges_matching(self, where: EdgeFilter) -> list[dict[str, Any]]:
        """The edges (deleted ones included) whose columns equal every value ``where`` sets."""
        conditions = Where()
        for column in ("id", "invitation", "head", "tail"):
            conditions.equal(column, getattr(where, column))
        conditions.equal("label", where.label, role="secondary")
        conditions.equal("domain", where.domain, role="secondary")
        clause, args = conditions.clause()
        return self._load_many(f"SELECT data FROM edges{clause}", args)

    def get_tag(self, tag_id: str) -> dict[str, Any] | None:
        row = self._conn.execute("SELECT data FROM tags WHERE id = ?", (tag_id,)).fetchone()
        return None if row is None else loads(row[0])

    def put_tag(self, tag: dict[str, Any]) -> None:
        self._conn.execute(
            "INSERT INTO tags (id, invitation, note, profile, forum, signature, domain, ddate, tcdate, tmdate, data)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET invitation = excluded.invitation,"
            " note = excluded.note, profile = excluded.profile, forum = excluded.forum,"
            " signature = excluded.signature, domain = excluded.domain, ddate = excluded.ddate,"
            " tcdate = excluded.tcdate, tmdate = excluded.tmdate, data = excluded.data",
            (tag["id"], tag.get("invitation"), tag.get("note"), tag.get("profile"), tag.get("forum"),
             tag.get("signature"), tag.get("domain"), tag.get("ddate"), tag.get("tcdate"), tag.get("tmdate"),
             dumps(tag)),
        )

    def delete_tags(self, ids: Sequence[str]) -> None:
        for chunk in _chunks(list(ids), 500):
            self._conn.execute(f"DELETE FROM tags WHERE id IN ({marks(len(chunk))})", chunk)

    def tags_matching(self, where: TagFilter) -> list[dict[str, Any]]:
        """The tags (deleted ones included) whose columns equal every value ``where`` sets (all tags
        when it sets none)."""
        conditions = Where()
        for column in ("id", "invitation", "note", "profile", "forum", "signature"):
            conditions.equal(column, getattr(where, column))
        conditions.equal("domain", where.domain, role="secondary")
        clause, args = conditions.clause()
        tags = self._load_many(f"SELECT data FROM tags{clause}", args)
        return tags if where.label is None else [tag for tag in tags if tag.get("label") == where.label]

    # -- profiles and users --------------------------------------------------------------------
    def get_profile(self, profile_id: str) -> dict[str, Any] | None:
        row = self._conn.execute(
            "SELECT p.data FROM profile_names n JOIN profiles p ON p.id = n.profile_id WHERE n.username = ?",
            (profile_id,),
        ).fetchone()
        return None if row is None else loads(row[0])

    def profiles_by_email(self, email: str, *, confirmed_only: bool = False) -> list[dict[str, Any]]:
        sql = (
            "SELECT DISTINCT p.id, p.data FROM profile_emails e JOIN profiles p ON p.id = e.profile_id "
            "WHERE e.email = ?" + (" AND e.confirmed = 1" if confirmed_only else "") + " ORDER BY p.id"
        )
        return self._load_many(sql, (email.lower(),))

    def all_profiles(self) -> list[dict[str, Any]]:
        """Every profile, in id order."""
        return self._load_many("SELECT data FROM profiles ORDER BY id")

    def put_profile(self, profile: dict[str, Any]) -> None:
        profile_id = profile["id"]
        self._conn.execute(
            "INSERT INTO profiles (id, state, tcdate, tmdate, data) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT(id) DO UPDATE SET state = excluded.state, tmdate = excluded.tmdate, data = excluded.data",
            (profile_id, profile.get("state"), profile.get("tcdate"), profile.get("tmdate"), dumps(profile)),
        )
        content = profile.get("content") or {}
        self._conn.execute("DELETE FROM profile_names WHERE profile_id = ?", (profile_id,))
        usernames = {profile_id} | {n["username"] for n in content.get("names", []) if n.get("username")}
        for username in sorted(usernames):
            self._conn.execute(
                "INSERT OR REPLACE INTO profile_names (username, profile_id) VALUES (?, ?)", (username, profile_id)
            )
        self._conn.execute("DELETE FROM profile_emails WHERE profile_id = ?", (profile_id,))
        confirmed = {e.lower() for e in content.get("emailsConfirmed", [])}
        for email in sorted({e.lower() for e in content.get("emails", [])} | confirmed):
            self._conn.execute(
                "INSERT OR REPLACE INTO profile_emails (email, profile_id, confirmed) VALUES (?, ?, ?)",
                (email, profile_id, 1 if email in confirmed else 0),
            )
        self.membership_version += 1  # identities come from profiles

    def username_taken(self, username: str) -> bool:
        row = self._conn.execute("SELECT 1 FROM profile_names WHERE username = ?", (username,)).fetchone()
        if row is not None:
            return True
        return self._conn.execute("SELECT 1 FROM groups WHERE id = ?", (username,)).fetchone() is not None

    def get_user(self, login: str) -> tuple[str, str | None] | None:
        row = self._conn.execute(
            "SELECT profile_id, password_hash FROM users WHERE login = ?", (login.lower(),)
        ).fetchone()
        return None if row is None else (str(row[0]), row[1])

    def put_user(self, login: str, profile_id: str, password_hash: str | None) -> None:
        self._conn.execute(
            "INSERT INTO users (login, profile_id, password_hash) VALUES (?, ?, ?) ON CONFLICT(login) DO UPDATE "
            "SET profile_id = excluded.profile_id, password_hash = excluded.password_hash",
            (login.lower(), profile_id, password_hash),
        )

    # -- messages (the outbox) -----------------------------------------------------------------
    def put_message(self, message: dict[str, Any], profile_id: str | None) -> None:
        self._conn.execute("INSERT INTO messages (id, recipient, profile_id, status, created, data) "
                           "VALUES (?, ?, ?, ?, ?, ?)",
                           (message["id"], message["content"]["to"], profile_id, message["status"],
                            message.get("created"), dumps(message)))

    # -- attachments ---------------------------------------------------------------------------
    def put_attachment(self, attachment_id: str, content_type: str, data: bytes, tcdate: int) -> None:
        """Keep an uploaded file under its id (a digest of its bytes: the same file twice is one row)."""
        self._conn.execute("INSERT OR IGNORE INTO attachments (id, content_type, size, tcdate, data) "
                           "VALUES (?, ?, ?, ?, ?)", (attachment_id, content_type, len(data), tcdate, data))

    def get_attachment(self, attachment_id: str) -> tuple[str, bytes] | None:
        """``(content type, bytes)`` of an uploaded file, or None."""
        row = self._conn.execute("SELECT content_type, data FROM attachments WHERE id = ?",
                                 (attachment_id,)).fetchone()
        return None if row is None else (row[0], bytes(row[1]))

    def messages(self, *, to: list[str] | None = None, status: str | None = None) -> list[dict[str, Any]]:
        """Stored messages, newest first, to any of ``to`` and with ``status`` when given."""
        where, params = [], []
        if to is not None:
            where.append(f"recipient IN ({', '.join('?' * len(to))})")
            params.extend(to)
        if status is not None:
            where.append("status IN (" + ", ".join("?" * len(status.split(","))) + ")")
            params.extend(status.split(","))
        sql = "SELECT data FROM messages" + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY seq DESC"
        return [loads(row[0]) for row in self._conn.execute(sql, params).fetchall()]

    def count_messages(self) -> int:
        return int(self._conn.execute("SELECT COUNT(*) FROM messages").fetchone()[0])

    # -- the process runtime: its queue, its logs, the date-process firings --------------------
    def enqueue_job(self, job: dict[str, Any], log: dict[str, Any]) -> int:
        """Queue a process job with its log row (``running`` from now on, as clients waiting on it see)."""
        log_seq = self.start_log(log)
        self._conn.execute("INSERT INTO process_jobs (log_seq, data) VALUES (?, ?)", (log_seq, dumps(job)))
        return log_seq

    def start_log(self, log: dict[str, Any]) -> int:
        """A ``running`` log row; its sequence number."""
        cursor = self._conn.execute(
            "INSERT INTO process_logs (id, invitation, status, process_index, executed_on, sdate, edate, log) "
            "VALUES (?, ?, 'running', ?, ?, ?, NULL, '')",
            (log["id"], log.get("invitation"), log.get("processIndex", 0), log["executedOn"], log["sdate"]))
        return int(cursor.lastrowid or 0)

    def end_log(self, log_seq: int, status: str, output: str, started: int, ended: int) -> None:
        self._conn.execute("UPDATE process_logs SET status = ?, log = ?, sdate = ?, edate = ? WHERE seq = ?",
                           (status, output, started, ended, log_seq))

    def take_job(self) -> tuple[int, int, dict[str, Any]] | None:
        """The oldest job nobody has taken, marked taken: ``(seq, log_seq, job)``."""
        row = self._conn.execute(
            "UPDATE process_jobs SET taken = 1 WHERE seq = (SELECT seq FROM process_jobs WHERE taken = 0 "
            "ORDER BY seq LIMIT 1) RETURNING seq, log_seq, data").fetchone()
        return None if row is None else (int(row[0]), int(row[1]), loads(row[2]))

    def finish_job(self, seq: int, log_seq: int, status: str, output: str, started: int, ended: int) -> None:
        self.end_log(log_seq, status, output, started, ended)
        self._conn.execute("DELETE FROM process_jobs WHERE seq = ?", (seq,))

    def jobs_counts(self) -> tuple[int, int]:
        """``(waiting, active)`` jobs."""
        row = self._conn.execute("SELECT COALESCE(SUM(taken = 0), 0), COALESCE(SUM(taken = 1), 0) "
                                 "FROM process_jobs").fetchone()
        return int(row[0]), int(row[1])

    def release_taken_jobs(self, output: str, ended: int) -> None:
        """On start: jobs a previous server took and never finished are logged as errors."""
        for seq, log_seq in self._conn.execute("SELECT seq, log_seq FROM process_jobs WHERE taken = 1").fetchall():
            self.finish_job(int(seq), int(log_seq), "error", output, ended, ended)

    def process_logs(self, *, log_id: str | None = None, status: str | None = None, min_sdate: int | None = None,
                     limit: int = 1000) -> list[dict[str, Any]]:
        """Log rows, newest first, as OpenReview answers them (the invitation filter is the caller's)."""
        where, params = [], []
        for column, value in (("id = ?", log_id), ("status = ?", status), ("sdate >= ?", min_sdate)):
            if value is not None:
                where.append(column)
                params.append(value)
        sql = ("SELECT seq, id, invitation, status, process_index, executed_on, sdate, edate, log FROM process_logs"
               + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY seq DESC LIMIT ?")
        rows = self._conn.execute(sql, (*params, limit)).fetchall()
        return [{"id": r[1], "invitation": r[2], "status": r[3], "processIndex": r[4], "executedOn": r[5],
                 "sdate": r[6], "edate": r[7], "log": r[8]} for r in rows]

    def schedule_firings(self, invitation_id: str, firings: Iterable[tuple[int, int, int]]) -> None:
        """The invitation's firings ``(process index, date index, at)`` from now on: those it no longer asks
        for and that have not fired are dropped; fired ones are kept, so a moment never fires twice."""
        wanted = set(firings)
        have = {(int(r[0]), int(r[1]), int(r[2])) for r in self._conn.execute(
            "SELECT process_index, date_index, at FROM date_firings WHERE invitation = ? AND fired = 0",
            (invitation_id,)).fetchall()}
        for process_index, date_index, at in have - wanted:
            self._conn.execute("DELETE FROM date_firings WHERE invitation = ? AND process_index = ? AND "
                               "date_index = ? AND at = ? AND fired = 0",
                               (invitation_id, process_index, date_index, at))
        for process_index, date_index, at in wanted - have:
            self._conn.execute("INSERT OR IGNORE INTO date_firings (invitation, process_index, date_index, at) "
                               "VALUES (?, ?, ?, ?)", (invitation_id, process_index, date_index, at))

    def due_firings(self, until_ms: int, limit: int = 1000) -> list[tuple[str, int, int, int]]:
        """Unfired firings at or before ``until_ms``, in time order: ``(invitation, process, date, at)``."""
        rows = self._conn.execute(
            "SELECT invitation, process_index, date_index, at FROM date_firings WHERE fired = 0 AND at <= ? "
            "ORDER BY at, invitation, process_index, date_index LIMIT ?", (until_ms, limit)).fetchall()
        return [(str(r[0]), int(r[1]), int(r[2]), int(r[3])) for r in rows]

    def next_firing(self) -> int | None:
        row = self._conn.execute("SELECT MIN(at) FROM date_firings WHERE fired = 0").fetchone()
        return None if row is None or row[0] is None else int(row[0])

    def mark_fired(self, invitation_id: str, process_index: int, date_index: int, at: int) -> None:
        self._conn.execute("UPDATE date_firings SET fired = 1 WHERE invitation = ? AND process_index = ? AND "
                           "date_index = ? AND at = ?", (invitation_id, process_index, date_index, at))

    def last_fired(self, invitation_id: str, process_index: int) -> int | None:
        row = self._conn.execute("SELECT MAX(at) FROM date_firings WHERE invitation = ? AND process_index = ? AND "
                                 "fired = 1", (invitation_id, process_index)).fetchone()
        return None if row is None or row[0] is None else int(row[0])

    # -- helpers -------------------------------------------------------------------------------
    def _replace_side(
        self, table: str, key_col: str, value_col: str, key: str, old: list[str] | None, new: list[str]
    ) -> None:
        if old is None:
            old_set: set[str] = set()
        else:
            old_set = set(old)
        new_set = set(new)
        for value in old_set - new_set:
            self._conn.execute(
                f"DELETE FROM {table} WHERE {key_col} = ? AND {value_col} = ?", (key, value)
            )
        for value in new_set - old_set:
            self._conn.execute(
                f"INSERT OR IGNORE INTO {table} ({key_col}, {value_col}) VALUES (?, ?)", (key, value)
            )


CACHE_SIZE = 20_000


def _remember(cache: dict[str, Any], key: str, value: Any) -> None:
    """Insert into a bounded cache, evicting the oldest entries (a small cache keeps the garbage
    collector's full passes short on large databases)."""
    cache.pop(key, None)
    cache[key] = value
    while len(cache) > CACHE_SIZE:
        del cache[next(iter(cache))]


def _note_where(where: NoteFilter) -> tuple[str, list[Any]]:
    """The WHERE clause (over ``notes n``) and bound values of a ``NoteFilter``."""
    conditions = Where()
    conditions.equal("n.forum", where.forum)
    conditions.equal("n.replyto", where.replyto)
    conditions.equal("n.domain", where.domain, role="secondary")
    conditions.at_least("n.tcdate", where.mintcdate, role="secondary")
    if where.invitations:
        conditions.add(
            f"n.id IN (SELECT note_id FROM note_invitations WHERE invitation IN ({marks(len(where.invitations))}))",
            *where.invitations,
        )
    conditions.among("n.number", list(where.numbers), role="secondary")
    return conditions.clause()


def _edit_invitation(edit: dict[str, Any]) -> str | None:
    invitation = edit.get("invitation")
    if isinstance(invitation, str):
        return invitation
    invitations = edit.get("invitations")
    return invitations if isinstance(invitations, str) else None


def _chunks(items: list[Any], size: int) -> Iterator[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]

"""The super user's password is written only when a database is created or when the operator asks.

In-process ``Sandbox`` servers on files in a temporary directory; the users table is read with
``sqlite3`` directly, before and after, so "unchanged" means byte for byte. (``venueops sandbox
serve`` as a subprocess is tested the same way in test_cli_serve.py.)
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import openreview
import pytest
import requests

from venueops.sandbox import DEFAULT_ROOT_PASSWORD, Sandbox

CHOSEN = "chosen-Pw-5d0c7e"
OTHER = "other-Pw-a81f22"


def users_table(db: Path) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT * FROM users ORDER BY login").fetchall()


def root_hash(db: Path) -> str:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT password_hash FROM users WHERE login = 'openreview.net'").fetchone()[0]


def logs_in(baseurl: str, password: str) -> bool:
    response = requests.post(f"{baseurl}/login", json={"id": "openreview.net", "password": password}, timeout=30)
    assert response.status_code in (200, 401), response.text
    return response.status_code == 200


def created(db: Path, password: str | None) -> None:
    """A database made by a first start (with a user besides the super user)."""
    with Sandbox(db=db, root_password=password) as sandbox:
        guest = openreview.api.OpenReviewClient(baseurl=sandbox.baseurl)
        guest.register_user(email="kept@pw.example", fullname="Kept User", password="user-Pw-1")


def test_a_new_database_gets_the_default_password_when_none_is_given(tmp_path):
    db = tmp_path / "new.db"
    with Sandbox(db=db) as sandbox:
        assert sandbox.root_password == DEFAULT_ROOT_PASSWORD
        assert logs_in(sandbox.baseurl, DEFAULT_ROOT_PASSWORD)


def test_a_new_database_gets_the_given_password(tmp_path):
    db = tmp_path / "new.db"
    with Sandbox(db=db, root_password=CHOSEN) as sandbox:
        assert sandbox.root_password == CHOSEN
        assert logs_in(sandbox.baseurl, CHOSEN)
        assert not logs_in(sandbox.baseurl, DEFAULT_ROOT_PASSWORD)


def test_an_existing_database_without_a_password_keeps_its_users_table(tmp_path):
    db = tmp_path / "kept.db"
    created(db, CHOSEN)
    before = users_table(db)
    assert len(before) == 2
    with Sandbox(db=db, root_password=None) as sandbox:
        # The stored password stands; the sandbox does not know it, so it does not claim one.
        assert sandbox.root_password is None
        assert logs_in(sandbox.baseurl, CHOSEN)
        assert not logs_in(sandbox.baseurl, DEFAULT_ROOT_PASSWORD)
    assert users_table(db) == before


def test_an_existing_database_with_the_default_password_reports_it(tmp_path):
    db = tmp_path / "default.db"
    created(db, None)
    before = users_table(db)
    with Sandbox(db=db) as sandbox:
        assert sandbox.root_password == DEFAULT_ROOT_PASSWORD
        assert logs_in(sandbox.baseurl, DEFAULT_ROOT_PASSWORD)
    assert users_table(db) == before


def test_a_given_password_replaces_the_stored_one(tmp_path):
    db = tmp_path / "changed.db"
    created(db, CHOSEN)
    before = users_table(db)
    with Sandbox(db=db, root_password=OTHER) as sandbox:
        assert sandbox.root_password == OTHER
        assert logs_in(sandbox.baseurl, OTHER)
        assert not logs_in(sandbox.baseurl, CHOSEN)
    after = users_table(db)
    assert after != before
    # Only the super user's hash changed.
    assert [row for row in after if row[0] != "openreview.net"] == [row for row in before if row[0] != "openreview.net"]


@pytest.mark.parametrize("password", [CHOSEN, None])
def test_reset_keeps_the_super_users_password(tmp_path, password):
    db = tmp_path / "reset.db"
    created(db, CHOSEN)
    with Sandbox(db=db, root_password=password) as sandbox:
        stored = root_hash(db)
        assert requests.post(f"{sandbox.baseurl}/_sandbox/reset", timeout=30).status_code == 200
        assert root_hash(db) == stored
        assert logs_in(sandbox.baseurl, CHOSEN)
        # Everything else is gone, the registered user included.
        assert [row[0] for row in users_table(db)] == ["openreview.net"]


def test_the_root_password_keyword_still_works_in_memory():
    with Sandbox(root_password=CHOSEN) as sandbox:
        assert logs_in(sandbox.baseurl, CHOSEN)
    with Sandbox() as sandbox:
        assert sandbox.root_password == DEFAULT_ROOT_PASSWORD
        assert logs_in(sandbox.baseurl, DEFAULT_ROOT_PASSWORD)

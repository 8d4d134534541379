"""The sandbox's layering rules, checked on its source (no server is started).

- SQL lives in ``store.py`` (and ``sql.py``, the helper only ``store.py`` imports): no other module of
  the package has SQL text in a string literal, so every statement and the indexes it relies on
  are in one place.
- Handlers (``responses.py``, ``app.py``, ``control.py``) reach the domain only through ``Backend``'s
  public methods, never through the services or state it is composed of, which are private.
"""

from __future__ import annotations

import ast
import inspect
import re
from pathlib import Path

import pytest

from venueops.sandbox.backend import Backend
from venueops.sandbox.store import Store

PACKAGE = Path(__file__).resolve().parents[2] / "venueops" / "sandbox"
SQL_MODULES = {"store.py", "sql.py"}
HANDLER_MODULES = ("responses.py", "app.py", "control.py")
SQL_TEXT = re.compile(r"\b(SELECT |INSERT |UPDATE \w+ SET|DELETE FROM|CREATE (TABLE|INDEX|UNIQUE)|DROP |ALTER TABLE|"
                      r"PRAGMA )")


def _modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def _strings(tree: ast.AST) -> list[tuple[int, str]]:
    """Every string constant in a module, f-string parts included."""
    return [(node.lineno, node.value) for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str)]


def test_the_scan_sees_sql() -> None:
    tree = ast.parse('x = f"SELECT data FROM {table} WHERE id = ?"\ny = "DELETE FROM notes"\nz = "Update the note"\n')
    assert {text for _, text in _strings(tree) if SQL_TEXT.search(text)} == {"SELECT data FROM ", "DELETE FROM notes"}


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_sql_outside_the_store(path: Path) -> None:
    if path.relative_to(PACKAGE).as_posix() in SQL_MODULES:
        return
    found = [f"{path.name}:{line}: {text[:60]!r}" for line, text in _strings(ast.parse(path.read_text()))
             if SQL_TEXT.search(text)]
    assert not found, "SQL belongs behind a named Store method:\n" + "\n".join(found)


def test_only_the_store_imports_sql_helpers() -> None:
    importers = []
    for path in _modules():
        for node in ast.walk(ast.parse(path.read_text())):
            names = ([node.module or ""] + [f"{node.module}.{a.name}" for a in node.names]
                     if isinstance(node, ast.ImportFrom) else
                     [a.name for a in node.names] if isinstance(node, ast.Import) else [])
            if "venueops.sandbox.sql" in names:
                importers.append(path.relative_to(PACKAGE).as_posix())
    assert sorted(set(importers)) == ["store.py"]


def test_store_takes_no_sql_from_callers() -> None:
    for name in ("query", "load_many", "load_by_ids", "execute"):
        assert not hasattr(Store, name), f"Store.{name} would let SQL cross the store's boundary"


def _backend_attributes(tree: ast.AST) -> list[tuple[int, str]]:
    """``backend.X`` / ``self.backend.X`` / ``h.backend.X``: every X a module reads off a backend."""
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Attribute):
            continue
        owner = node.value
        if (isinstance(owner, ast.Name) and owner.id == "backend") or (
            isinstance(owner, ast.Attribute) and owner.attr == "backend"
        ):
            found.append((node.lineno, node.attr))
    return found


@pytest.mark.parametrize("module", HANDLER_MODULES)
def test_handlers_call_only_backend_methods(module: str) -> None:
    used = _backend_attributes(ast.parse((PACKAGE / module).read_text()))
    assert used, f"{module} was expected to call the backend"
    wrong = [f"{module}:{line}: backend.{name}" for line, name in used
             if name.startswith("_") or not inspect.isfunction(inspect.getattr_static(Backend, name, None))]
    assert not wrong, "handlers reach the domain through Backend's public methods only:\n" + "\n".join(wrong)


def test_backend_state_is_private() -> None:
    backend = Backend(None)
    try:
        public = sorted(name for name in vars(backend) if not name.startswith("_"))
    finally:
        backend.close()
    assert public == [], "Backend's services and state are private; add a method instead"

"""Reading the scripts and web pages openreview-py ships, which compiled objects name (``$file``).

This is I/O at the edge: the compiler only names files; whoever posts objects resolves the names
here, from the installed openreview-py package (``pip install openreview-py``).
"""

from __future__ import annotations

import importlib.util
from functools import lru_cache
from pathlib import Path
from typing import Any

from venueops.compile.model import FILE_REF_KEY, is_file_ref
from venueops.errors import VenueOpsError

PREFIX = "openreview-py:"


@lru_cache(maxsize=1)
def package_dir() -> Path:
    spec = importlib.util.find_spec("openreview")
    if spec is None or not spec.submodule_search_locations:
        raise VenueOpsError("openreview-py is not installed: venue scripts and pages come from it "
                            "(pip install openreview-py)")
    return Path(next(iter(spec.submodule_search_locations)))


@lru_cache(maxsize=256)
def read(reference: str) -> str:
    """The text of ``openreview-py:<path inside the package>``."""
    if not reference.startswith(PREFIX):
        raise VenueOpsError(f"unknown file reference {reference!r}")
    relative = reference[len(PREFIX):]
    path = (package_dir() / relative).resolve()
    if package_dir().resolve() not in path.parents:
        raise VenueOpsError(f"file reference {reference!r} leaves the openreview-py package")
    try:
        return path.read_text(encoding="utf-8")
    except OSError as error:
        raise VenueOpsError(f"cannot read {reference}: {error.strerror or error}") from None


def resolve(value: Any) -> Any:
    """``value`` with every ``{"$file": ...}`` replaced by the file's text."""
    if is_file_ref(value):
        return read(value[FILE_REF_KEY])
    if isinstance(value, dict):
        return {k: resolve(v) for k, v in value.items()}
    if isinstance(value, list):
        return [resolve(v) for v in value]
    return value

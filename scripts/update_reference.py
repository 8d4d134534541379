"""Rewrite the venue file reference embedded in README.md and in the documentation site's
docs/reference/venue-file.md from the models (and the JSON Schema).

    python scripts/update_reference.py
"""

from __future__ import annotations

import json
from pathlib import Path

from venueops.config.models import json_schema
from venueops.config.reference import BEGIN, END, markdown

ROOT = Path(__file__).resolve().parents[1]
# the files that embed the reference between its BEGIN and END markers
EMBEDDING = [ROOT / "README.md", ROOT / "docs" / "reference" / "venue-file.md"]


def embedded(text: str, reference: str) -> str:
    """``text`` with the part between the markers (markers included) replaced by ``reference``."""
    start, end = text.index(BEGIN), text.index(END) + len(END)
    return text[:start] + reference + text[end:]


def main() -> None:
    reference = markdown()
    for path in EMBEDDING:
        path.write_text(embedded(path.read_text(), reference))
    (ROOT / "schemas" / "venue.schema.json").write_text(json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n")
    names = " and ".join(str(path.relative_to(ROOT)) for path in EMBEDDING)
    print(f"{names} reference and schemas/venue.schema.json rewritten")


if __name__ == "__main__":
    main()

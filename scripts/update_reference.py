"""Rewrite the venue file reference embedded in README.md from the models (and the JSON Schema).

    python scripts/update_reference.py
"""

from __future__ import annotations

import json
from pathlib import Path

from venueops.config.models import json_schema
from venueops.config.reference import BEGIN, END, markdown

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    readme = ROOT / "README.md"
    text = readme.read_text()
    start, end = text.index(BEGIN), text.index(END) + len(END)
    readme.write_text(text[:start] + markdown() + text[end:])
    (ROOT / "schemas" / "venue.schema.json").write_text(json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n")
    print("README.md reference and schemas/venue.schema.json rewritten")


if __name__ == "__main__":
    main()

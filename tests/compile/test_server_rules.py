"""What ``validate`` accepts, the server accepts: one venue file per server-side rule.

For each rule (``venueops.openreview.rules``) a venue file that breaks it: ``venueops validate`` exits 1
with the message at the line that wrote the offending value, ``venueops apply`` writes nothing (the
server's request counters say so), and the sandbox, given the offending value directly (bypassing
venueops), refuses it too: the two sides agree.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import requests
from click.testing import CliRunner

from tests.conftest import PASSWORD
from tests.plan.conftest import credentials
from venueops.cli import cli

EXAMPLE = Path(__file__).parents[2] / "examples" / "venues" / "workshop.yaml"
V = "DRW.cc/2026/Workshop"
CODE_FIELD = '''        code:
          type: string
          optional: true
          regex: "^https?://.+"
'''


def with_code_field(spec: str) -> Callable[[str], str]:
    """The example with its added form field ``code`` given these specifiers (YAML lines)."""
    def edit(text: str) -> str:
        assert CODE_FIELD in text
        lines = "".join(f"          {line}\n" for line in spec.splitlines())
        return text.replace(CODE_FIELD, "        code:\n" + lines)
    return edit


def replacing(old: str, new: str) -> Callable[[str], str]:
    def edit(text: str) -> str:
        assert old in text
        return text.replace(old, new, 1)
    return edit


RAW_INVITATION = '''
invitations:
  - id: "{{ venue.id }}/-/Nomination"
    readers: ["{{ venue.id }}"]
    writers: ["{{ venue.id }}"]
    signatures: ["{{ venue.id }}"]
    invitees: ["{{ venue.id }}/Program_Chairs"]
    edit:
      note:
        content:
          nominee:
            value:
              param:
                type: string
                regex: "[a-z"
'''

# A probe the sandbox is asked to save directly, with one param specifier to vary.
PROBE_ID = f"{V}/-/Probe"


def probe(param: dict[str, Any]) -> dict[str, Any]:
    return {"id": PROBE_ID, "readers": [V], "writers": [V], "signatures": ["~Super_User1"], "invitees": [V],
            "edit": {"signatures": ["~Super_User1"], "readers": [V], "writers": [V],
                     "note": {"content": {"x": {"value": {"param": {"type": "string", **param}}}}}}}


@dataclass(frozen=True)
class Case:
    edit: Callable[[str], str]  # of the example venue file
    at: str  # text on the line the error must point at
    says: str  # words of the message
    sandbox: dict[str, Any] | None = None  # the same offence, sent to the sandbox directly


def field(spec: str, at: str, says: str, sandbox: dict[str, Any] | None = None) -> Case:
    return Case(with_code_field(spec), at, says, sandbox)


CASES: dict[str, Case] = {
    "regex does not compile": field('type: string\nregex: "(unclosed["', 'regex: "(unclosed["',
                                    "not a valid regular expression", probe({"regex": "(unclosed["})),
    "regex valid in Python only": field('type: string\nregex: "(?P<scheme>https?)://"', "(?P<scheme>", "ECMAScript",
                                        probe({"regex": "(?P<scheme>https?)://"})),
    "regex repetition over 1000": field('type: string\nregex: "^.{0,5000}$"', "{0,5000}",
                                        "repetition count 5000 is over 1000", probe({"regex": "^.{0,5000}$"})),
    "integer beyond 2**53": field("type: string\nmaxLength: 99999999999999999999999999999", "maxLength: 9999",
                                  "the largest integer OpenReview stores exactly",
                                  probe({"maxLength": 99999999999999999999999999999})),
    "number not finite": field("type: float\nminimum: .inf", "minimum: .inf", "not a finite number"),
    "unknown type": field("type: strng", "type: strng", "'strng' is not a type OpenReview knows",
                          probe({"type": "strng"})),
    "date[] is no type": field("type: date[]", "type: date[]", "'date[]' is not a type", probe({"type": "date[]"})),
    "minLength over maxLength": field("type: string\nminLength: 10\nmaxLength: 5", "maxLength: 5",
                                      "minLength (10) is more than maxLength (5)",
                                      probe({"minLength": 10, "maxLength": 5})),
    "negative maxLength": field("type: string\nmaxLength: -1", "maxLength: -1", "must not be negative",
                                probe({"maxLength": -1})),
    "range reversed": field("type: integer\nrange: [10, 1]", "range: [10, 1]", "range starts (10) after it ends (1)",
                            probe({"type": "integer", "range": [10, 1]})),
    "empty enum": field("type: string\nenum: []", "enum: []", "enum lists at least one choice", probe({"enum": []})),
    "items without a value": field("type: string[]\nitems: [{description: nothing}]", "items: [",
                                   "items[0] has a value, a prefix or an inGroup",
                                   probe({"type": "string[]", "items": [{"description": "nothing"}]})),
    "unknown input": field("type: string\ninput: slider", "input: slider", "input", probe({"input": "slider"})),
    "venue id too long": Case(replacing("id: DRW.cc/2026/Workshop", "id: DRW.cc/" + "a" * 10_000), "id: DRW.cc/aaa",
                              "is 10,007 characters long; at most 300"),
    "date beyond what OpenReview stores": Case(replacing("due: 2026-03-01 23:59", "due: 2300-03-01 23:59"),
                                               "due: 2300", "outside the dates OpenReview stores"),
    "raw group id with a space": Case(replacing('"{{ venue.id }}/Publicity_Chairs"\n',
                                                '"{{ venue.id }}/Publicity Chairs"\n'),
                                      "Publicity Chairs", "an id may not contain ' '"),
    "raw group reader with a bad id": Case(replacing('readers: ["{{ venue.id }}", "{{ venue.id }}/Publicity_Chairs"]',
                                                     'readers: ["{{ venue.id }}", "{{ venue.id }}/Publicity_Chairs", '
                                                     '"chairs; everyone"]'),
                                           "chairs; everyone", "readers[2]: an id may not contain ';'"),
    "raw invitation template regex": Case(lambda text: text + RAW_INVITATION, 'regex: "[a-z"',
                                          "edit.note.content.nominee.value.param.regex: not a valid regular expression",
                                          probe({"regex": "[a-z"})),
}


def validate(tmp_path: Path, text: str) -> tuple[int, str]:
    (tmp_path / "venue.yaml").write_text(text)
    result = CliRunner().invoke(cli, ["validate", str(tmp_path / "venue.yaml")])
    return result.exit_code, result.stderr


@pytest.mark.parametrize("case", sorted(CASES))
def test_validate_refuses_what_the_server_would_at_the_line_that_wrote_it(case: str, tmp_path: Path) -> None:
    edit, needle, words = CASES[case].edit, CASES[case].at, CASES[case].says
    text = edit(EXAMPLE.read_text())
    line = text[:text.index(needle)].count("\n") + 1
    code, stderr = validate(tmp_path, text)
    assert code == 1, stderr
    located = [m for m in stderr.splitlines() if m.startswith(f"{tmp_path / 'venue.yaml'}:{line}:") and words in m]
    assert located, f"no error at line {line} saying {words!r}:\n{stderr}"


@pytest.mark.parametrize("case", sorted(CASES))
def test_apply_writes_nothing(case: str, tmp_path: Path, baseurl: str, monkeypatch: pytest.MonkeyPatch) -> None:
    edit, words = CASES[case].edit, CASES[case].says
    (tmp_path / "venue.yaml").write_text(edit(EXAMPLE.read_text()))
    requests.delete(f"{baseurl}/_sandbox/requests", timeout=10)
    result = CliRunner().invoke(cli, ["apply", str(tmp_path / "venue.yaml"), "--auto-approve", "--bootstrap"],
                                env=credentials(baseurl))
    assert result.exit_code == 1 and words in result.stderr, result.output
    routes = requests.get(f"{baseurl}/_sandbox/requests", timeout=10).json()["byRoute"]
    assert not {r for r in routes if not r.startswith("GET ")}, routes  # not even a login


@pytest.mark.parametrize("case", sorted(c for c in CASES if CASES[c].sandbox is not None))
def test_the_sandbox_refuses_the_same(case: str, baseurl: str) -> None:
    token = requests.post(f"{baseurl}/login", json={"id": "openreview.net", "password": PASSWORD},
                          timeout=10).json()["token"]
    headers = {"Authorization": f"Bearer {token}"}
    invitation = copy.deepcopy(CASES[case].sandbox)
    edit = {"signatures": ["~Super_User1"], "readers": ["openreview.net"], "writers": ["openreview.net"],
            "invitation": invitation}
    answer = requests.post(f"{baseurl}/invitations/edits", json=edit, headers=headers, timeout=10)
    assert answer.status_code == 400, answer.text
    assert answer.json()["name"] == "ValidationError", answer.text
    fine = copy.deepcopy(edit)
    fine["invitation"] = probe({})
    assert requests.post(f"{baseurl}/invitations/edits", json=fine, headers=headers, timeout=10).status_code == 200


def test_ids_outside_the_venue_are_refused(tmp_path: Path) -> None:
    text = EXAMPLE.read_text()
    for bad, words in [('"{{ venue.id }}/../Other.cc/Hijack"', "has an empty, '.' or '..' part"),
                       ('"Other.cc/Hijack"', "is outside the venue DRW.cc/2026/Workshop"),
                       ('"DRW.cc/2026/WorkshopX/Hijack"', "is outside the venue DRW.cc/2026/Workshop"),
                       ('"{{ venue.id }}//Hijack"', "has an empty, '.' or '..' part")]:
        code, stderr = validate(tmp_path, text.replace('"{{ venue.id }}/Publicity_Chairs"\n', bad + "\n", 1))
        assert code == 1 and stderr.startswith(f"{tmp_path / 'venue.yaml'}:49:9: error: group id ") and words in stderr

"""No password or token ever appears in venueops' output, debug logs or plan files (grepped)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import requests

from tests.conftest import PASSWORD
from tests.plan.conftest import AT, EXAMPLES

JWT = re.compile(r"eyJ[\w-]+\.[\w-]+\.[\w-]+")


def run(args: list[str], env: dict[str, str], cwd: Path) -> str:
    """The real executable in a subprocess, with --debug: everything it prints, both streams."""
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("OPENREVIEW_")} | env
    done = subprocess.run([sys.executable, "-m", "venueops", "--debug", *args], env=full_env, cwd=cwd,
                          capture_output=True, text=True, timeout=120)
    return done.stdout + done.stderr


def assert_clean(text: str, *secrets: str) -> None:
    for secret in secrets:
        assert secret not in text
    assert not JWT.search(text), "a token leaked"


def test_passwords_and_tokens_stay_out_of_output_logs_and_plans(baseurl: str, tmp_path: Path) -> None:
    venue = tmp_path / "workshop.yaml"
    venue.write_text((EXAMPLES / "workshop.yaml").read_text())
    with_password = {"OPENREVIEW_API_BASEURL_V2": baseurl, "OPENREVIEW_USERNAME": "openreview.net",
                     "OPENREVIEW_PASSWORD": PASSWORD}
    token = requests.post(f"{baseurl}/login", json={"id": "openreview.net", "password": PASSWORD},
                          timeout=10).json()["token"]
    with_token = {"OPENREVIEW_API_BASEURL_V2": baseurl, "OPENREVIEW_TOKEN": token}
    outputs = [
        run(["plan", "workshop.yaml", "--bootstrap", "-o", "plan.json", "--at", AT], with_password, tmp_path),
        run(["apply", "plan.json", "--bootstrap", "--at", AT], with_password, tmp_path),
        run(["plan", "workshop.yaml", "--json", "--at", AT], with_token, tmp_path),
        run(["apply", "workshop.yaml", "--auto-approve", "--at", AT], with_token, tmp_path),
        run(["plan", "workshop.yaml"], {**with_password, "OPENREVIEW_PASSWORD": PASSWORD + "-wrong"}, tmp_path),
        run(["apply", "plan.json", "--bootstrap", "--at", AT], with_token, tmp_path),  # refused: stale
    ]
    assert "Apply complete" in outputs[1] and "No changes" in outputs[3]
    assert "cannot log in" in outputs[4] and "nothing was applied" in outputs[5]
    for text in outputs:
        assert_clean(text, PASSWORD, token)
    for saved in tmp_path.rglob("*.json"):
        assert_clean(saved.read_text(), PASSWORD, token)


def test_the_sandbox_flow_prints_no_password(tmp_path: Path) -> None:
    venue = tmp_path / "workshop.yaml"
    venue.write_text((EXAMPLES / "workshop.yaml").read_text())
    text = run(["apply", "workshop.yaml", "--sandbox", "--auto-approve"], {}, tmp_path)
    assert "Apply complete" in text
    assert_clean(text, PASSWORD)

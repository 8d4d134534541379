"""The scheduling recipes in examples/schedules/ (and the Dockerfile) say commands venueops has.

Each recipe is parsed as what it is (YAML for GitHub Actions and Kubernetes, INI-like for systemd, a
crontab line), and every venueops command in it is checked against the CLI: the command exists and
each option it passes is one that command takes. The Dockerfile is built where docker is available.
"""

from __future__ import annotations

import configparser
import shlex
import shutil
import subprocess
from pathlib import Path

import click
import pytest
import yaml

from venueops.cli import cli

ROOT = Path(__file__).resolve().parents[1]
SCHEDULES = ROOT / "examples" / "schedules"


def venueops_commands(text: str) -> list[list[str]]:
    """Every ``venueops …`` invocation in shell text, as its arguments after ``venueops`` (up to the
    next shell operator: ``;``, ``&&``, ``||``, ``|``, a redirection)."""
    found = []
    for line in text.replace("\\\n", " ").splitlines():
        lexer = shlex.shlex(line, posix=True, punctuation_chars=True)
        lexer.commenters = "#"
        lexer.whitespace_split = True
        words = list(lexer)
        for index, word in enumerate(words):
            if word.endswith("venueops") and index + 1 < len(words) and words[index + 1][0].isalpha():
                arguments = []
                for following in words[index + 1:]:
                    if following and set(following) <= set(";&|<>"):
                        break
                    arguments.append(following)
                found.append(arguments)
    return found


def check_against_cli(arguments: list[str]) -> None:
    command = cli.commands.get(arguments[0])
    assert isinstance(command, click.Command), f"venueops has no command {arguments[0]!r}"
    known = {opt for param in command.params for opt in param.opts}
    for word in arguments[1:]:
        if word.startswith("--"):
            assert word.split("=")[0] in known, f"venueops {arguments[0]} has no option {word}"


def test_the_crontab_line_runs_reconcile_with_known_options():
    (line,) = [line for line in (SCHEDULES / "crontab").read_text().splitlines()
               if line and not line.startswith(("#", "MAILTO"))]
    fields = line.split(None, 5)
    assert len(fields) == 6 and fields[0] == "*/15"
    (command,) = venueops_commands(fields[5])
    assert command[:2] == ["reconcile", "venues/"]
    check_against_cli(command)


def test_the_systemd_units_run_reconcile_on_a_timer():
    service = configparser.ConfigParser(strict=False)
    service.read_string((SCHEDULES / "venueops-reconcile.service").read_text())
    (command,) = venueops_commands(service["Service"]["ExecStart"])
    assert command[0] == "reconcile" and "--mode" in command
    check_against_cli(command)
    assert service["Service"]["SuccessExitStatus"] == "2"
    timer = configparser.ConfigParser()
    timer.read_string((SCHEDULES / "venueops-reconcile.timer").read_text())
    assert timer["Timer"]["OnCalendar"] == "*:0/15"


def workflow_commands(name: str) -> tuple[dict, list[list[str]]]:
    workflow = yaml.safe_load((SCHEDULES / name).read_text())
    steps = [step for job in workflow["jobs"].values() for step in job["steps"]]
    commands = [c for step in steps if "run" in step for c in venueops_commands(step["run"])]
    for command in commands:
        check_against_cli(command)
    return workflow, commands


def test_the_detect_workflow_reports_markdown_into_one_issue():
    workflow, commands = workflow_commands("github-reconcile-detect.yml")
    assert workflow[True]["schedule"][0]["cron"]  # yaml reads the key `on` as True
    (reconcile,) = commands
    assert reconcile[reconcile.index("--mode") + 1] == "detect"
    assert reconcile[reconcile.index("--format") + 1] == "markdown"
    text = (SCHEDULES / "github-reconcile-detect.yml").read_text()
    assert "gh issue create" in text and "gh issue edit" in text and "gh issue close" in text
    assert workflow["permissions"]["issues"] == "write"


def test_the_pull_request_workflow_comments_markdown_plans():
    workflow, commands = workflow_commands("github-plan-comment.yml")
    assert "pull_request" in workflow[True]
    (plan,) = commands
    assert plan[0] == "plan" and plan[plan.index("--format") + 1] == "markdown"
    assert "apply" not in {c[0] for c in commands}  # a pull request only plans


def test_the_kubernetes_cronjob_runs_the_image_with_known_options():
    job = yaml.safe_load((SCHEDULES / "kubernetes-cronjob.yaml").read_text())
    assert job["kind"] == "CronJob" and job["spec"]["concurrencyPolicy"] == "Forbid"
    (container,) = job["spec"]["jobTemplate"]["spec"]["template"]["spec"]["containers"]
    check_against_cli(container["args"])
    assert container["args"][0] == "reconcile"
    assert container["envFrom"][0]["secretRef"]["name"] == "openreview"  # credentials never in args


def test_the_dockerfile_installs_venueops_as_its_entrypoint():
    text = (ROOT / "Dockerfile").read_text()
    assert 'ENTRYPOINT ["venueops"]' in text and "pip install" in text
    if shutil.which("docker") is None or subprocess.run(["docker", "info"], capture_output=True,
                                                        timeout=60).returncode != 0:
        pytest.skip("no docker daemon here: the Dockerfile was only read, not built")
    built = subprocess.run(["docker", "build", "-q", "-t", "venueops-test", str(ROOT)], capture_output=True,
                           text=True, timeout=900)
    assert built.returncode == 0, built.stderr
    ran = subprocess.run(["docker", "run", "--rm", "venueops-test", "--version"], capture_output=True, text=True,
                         timeout=120)
    assert ran.returncode == 0 and "venueops" in ran.stdout

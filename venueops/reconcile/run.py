"""Reconcile many venues: for each venue file, plan as of now, say why each change is there, and in
``heal`` mode apply what is due and what the file says (and drift too with ``on_drift="restore"``).

Every venue is isolated: a file that does not load, a server call that fails, an apply that is
refused all end that venue's result as an ``error`` naming the file (and line, for the file's own
errors), and the others go on. Venues run on ``jobs`` threads over one shared target (one login).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from venueops.api.client import ApiClient, ApiError
from venueops.apply.runner import Status
from venueops.config.validate import VenueConfig, load_venue
from venueops.engine import apply_plan_to_target, plan_venue
from venueops.errors import VenueOpsError
from venueops.plan.model import Action, Change
from venueops.reconcile.findings import Finding, LastEdit, classify, released_objects, releases_due
from venueops.reconcile.warn import warn_chairs
from venueops.targets.sandbox_accounts import chair_login
from venueops.targets.target import Target

MODES = ("detect", "heal", "warn")
ON_DRIFT = ("report", "restore")


@dataclass(frozen=True)
class VenueResult:
    file: str
    venue_id: str | None = None
    status: str = "in_sync"  # in_sync | changes | healed | error
    findings: tuple[Finding, ...] = ()
    applied: int = 0  # edits posted
    remaining: int = 0  # changes a plan made after the heal still finds
    error: str | None = None
    warned: int = 0  # drifts told to the program chairs by this run (warn)

    def to_json(self) -> dict[str, Any]:
        return {"file": self.file, "venue": self.venue_id, "status": self.status, "applied": self.applied,
                "remaining": self.remaining, "warned": self.warned, "error": self.error,
                "findings": [f.to_json() for f in self.findings]}


def venue_files(paths: Iterable[Path]) -> list[Path]:
    """The venue files named, and those under the directories named (``*.yaml``/``*.yml``, hidden
    folders skipped), each once, in a stable order."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += sorted(p for p in path.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file()
                            and not any(part.startswith(".") for part in p.relative_to(path).parts))
        else:
            found.append(path)
    seen: set[Path] = set()
    return [p for p in found if not (p.resolve() in seen or seen.add(p.resolve()))]


def reconcile_all(files: list[Path], target: Target, *, mode: str = "detect", on_drift: str = "report",
                  jobs: int = 4, at: int | None = None,
                  on_result: Callable[[VenueResult], None] | None = None) -> list[VenueResult]:
    """Reconcile every file on ``jobs`` threads; results in the order of ``files``. ``at``: the moment
    to reconcile for (default: the target's now, read once, so every venue of a run is judged at the
    same moment; the sandbox's own clock on the sandbox)."""
    if mode not in MODES or on_drift not in ON_DRIFT:
        raise ValueError(f"mode must be one of {MODES} and on_drift one of {ON_DRIFT}")

    moment = at if at is not None else target.now_ms()  # one moment for the whole run

    def one(file: Path) -> VenueResult:
        result = reconcile_venue(file, target, mode=mode, on_drift=on_drift, at=moment)
        if on_result is not None:
            on_result(result)
        return result

    with ThreadPoolExecutor(max_workers=max(1, jobs), thread_name_prefix="reconcile") as pool:
        return list(pool.map(one, files))


def reconcile_venue(file: Path, target: Target, *, mode: str, on_drift: str, at: int | None = None) -> VenueResult:
    """One venue, isolated: any failure is this venue's ``error`` result."""
    try:
        config = load_venue(file)
    except VenueOpsError as error:
        return VenueResult(str(file), status="error", error=str(error))
    venue_id = config.spec.venue.id
    try:
        return _reconcile(file, config, target, mode=mode, on_drift=on_drift, at=at)
    except (VenueOpsError, ApiError) as error:
        return VenueResult(str(file), venue_id, status="error", error=_message(error))
    except Exception as error:  # one venue's surprise must not stop the others
        return VenueResult(str(file), venue_id, status="error", error=f"{type(error).__name__}: {error}")


def _reconcile(file: Path, config: VenueConfig, target: Target, *, mode: str, on_drift: str,
               at: int | None) -> VenueResult:
    now = at if at is not None else target.now_ms()
    planned = plan_venue(config, target, at=now)
    plan = planned.plan
    if plan.empty:
        return VenueResult(str(file), config.spec.venue.id)
    released = released_objects(config, releases_due(config, now))
    ours = _our_accounts(target, config)
    findings = []
    for change in plan.changes:
        last = _last_edit(target.reader, change)
        finding = classify(change, config, released, last, ours)
        if finding.kind == "drift" and last is not None and not last.signature.startswith("~"):
            # signed as the venue: name the person behind the login (one more request, drift only)
            last = replace(last, author=_profile_of(target.reader, last.tauthor))
            finding = classify(change, config, released, last, ours)
        findings.append(finding)
    if mode == "detect":
        return VenueResult(str(file), config.spec.venue.id, status="changes", findings=tuple(findings))
    if mode == "warn":
        chairs = next((o.id for o in planned.desired.objects if o.stage == "roles.program_chairs"),
                      f"{config.spec.venue.id}/Program_Chairs")
        told = warn_chairs(target.clients.venue, config, chairs, [f for f in findings if f.kind == "drift"],
                           now=target.now_ms)
        return VenueResult(str(file), config.spec.venue.id, status="changes", findings=tuple(findings), warned=told)
    chosen = tuple(f.change for f in findings if f.kind != "drift" or on_drift == "restore")
    if not chosen:
        return VenueResult(str(file), config.spec.venue.id, status="changes", findings=tuple(findings),
                           remaining=len(plan.changes))
    applied = apply_plan_to_target(replace(plan, changes=chosen), target, config, at=now, allow_delete=False,
                                   operation="reconcile --mode heal")
    posted = applied.report.count(Status.APPLIED)
    if not applied.report.ok:
        failure = applied.report.failure
        why = (failure.error or "failed") if failure is not None else "the apply stopped"
        return VenueResult(str(file), config.spec.venue.id, status="error", findings=tuple(findings), applied=posted,
                           error=f"heal failed: {why}")
    remaining = len(applied.check.changes) if applied.check is not None else 0
    return VenueResult(str(file), config.spec.venue.id, status="healed" if not remaining else "changes",
                       findings=tuple(findings), applied=posted, remaining=remaining)


def _last_edit(reader: ApiClient, change: Change) -> LastEdit | None:
    """The object's latest edit: one request, only for objects that exist and differ."""
    if change.action is Action.CREATE:
        return None
    try:
        answer = reader.get(f"/{change.kind}s/edits", {f"{change.kind}.id": change.id, "sort": "tcdate:desc",
                                                        "limit": 1})
    except ApiError:
        return None
    edits = answer.get("edits") or []
    if not edits:
        return None
    edit = edits[0]
    signatures = edit.get("signatures") or [""]
    return LastEdit(edit_id=str(edit.get("id", "")), signature=str(signatures[0]), tauthor=str(edit.get("tauthor", "")),
                    tcdate=int(edit.get("tcdate") or 0))


def _profile_of(reader: ApiClient, login: str) -> str | None:
    if "@" not in login:
        return None
    try:
        found = reader.get("/profiles", {"email": login}).get("profiles") or []
    except ApiError:
        return None
    return str(found[0]["id"]) if found else None


def _our_accounts(target: Target, config: VenueConfig) -> frozenset[str]:
    """The logins and profiles venueops posts with on this target (the sandbox's chair accounts too)."""
    ours: set[str] = set()
    for client in (target.reader, target.clients.venue, target.clients.root):
        if client is not None and client.identity is not None:
            ours |= {client.identity.login, client.identity.profile_id}
    if target.is_sandbox:
        for member in config.spec.roles.program_chairs.members or []:
            login = chair_login(member)
            if login is not None:
                ours |= {login[0], member}
    return frozenset(ours)


def _message(error: Exception) -> str:
    if isinstance(error, ApiError):
        return f"{error.name}: {error.message}"
    return str(error)


def exit_code(results: list[VenueResult]) -> int:
    """1 on any error; 2 when changes or drift remain; 0 when every venue is where its file says."""
    if any(r.status == "error" for r in results):
        return 1
    if any(r.status == "changes" for r in results):
        return 2
    return 0

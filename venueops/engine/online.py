"""``venueops validate --online``: a venue file checked against a server short of a plan, read only.

Three checks, each giving findings that are ``ok``, a ``warning``, or a ``problem`` (the file cannot be
applied as it stands there; ``validate`` exits 1):

- **API version** (once per server): the server's OpenAPI definition, which OpenReview serves at
  ``/docs/api.yml``, states a version venueops knows (``KNOWN_API_VERSIONS``). Another version, or none,
  is a warning naming what was found, never a problem.
- **People**: everyone the file names by profile id (``~Name1``) or e-mail has a profile: the roles'
  ``members`` and the raw groups' ``members``. Each one missing is a problem at the line naming it.
  On the sandbox a missing program chair is a warning: ``apply --sandbox`` registers the chairs.
- **Rights**: the caller may act for the venue (sign as its group) when it exists; what only OpenReview
  support (a super user) may create is found as a plan finds it, the venue compiled and compared with
  the live state (``plan_venue``) and nothing applied, and listed with the command support would run.

Two parts: reading (``read_server``, ``read_venue``), GET requests only and few of them (profiles
looked up in batches, the venue's objects read as a plan reads them); and judging
(``server_findings``, ``venue_findings``), pure functions of what was read. ``check_server`` and
``check_venue`` do both; ``render_text`` and the ``to_json`` methods are what the CLI prints.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass, field
from typing import Any, Literal

import yaml

from venueops.api.client import ApiClient, ApiError
from venueops.config.loader import PathKey
from venueops.config.validate import VenueConfig
from venueops.diagnostics import Location
from venueops.engine.applying import support_changes, support_listing
from venueops.engine.planning import plan_venue
from venueops.plan.model import Action, Change
from venueops.state.reader import UnreadableVenue
from venueops.targets.sandbox_accounts import chair_login
from venueops.targets.server import may_provision
from venueops.targets.target import Target, TargetError

# Where OpenReview serves the OpenAPI definition of API v2 (docs.openreview.net, "OpenAPI definition"), and
# the versions its `info.version` has stated in the definitions venueops was built and tested against
# (tests/data/openreview-api-v2.yml).
API_DEFINITION = "/docs/api.yml"
KNOWN_API_VERSIONS = ("1.0.0",)
MAX_DEFINITION_CHARS = 20_000_000

Status = Literal["ok", "warning", "problem"]
Check = Literal["api_version", "people", "rights"]
CHECK_TITLES = {"api_version": "API version", "people": "people", "rights": "rights"}


@dataclass(frozen=True)
class Finding:
    """One result of a check; ``location`` is where the file says what it is about."""

    check: Check
    status: Status
    message: str
    location: Location | None = None
    path: str | None = None  # where in the document, e.g. ``roles.program_chairs.members[1]``
    listing: tuple[str, ...] = ()  # the objects OpenReview support must create, one a line
    commands: tuple[str, ...] = ()  # what to run about it, in order

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"check": self.check, "status": self.status, "message": self.message}
        if self.location is not None:
            out.update(file=self.location.file, line=self.location.line, column=self.location.col)
        if self.path is not None:
            out["path"] = self.path
        if self.listing:
            out["objects"] = list(self.listing)
        if self.commands:
            out["commands"] = list(self.commands)
        return out


@dataclass(frozen=True)
class OnlineReport:
    """The online checks of one venue file, and the requests they took (all of them reads)."""

    file: str
    findings: tuple[Finding, ...]
    requests: int

    @property
    def ok(self) -> bool:
        return not any(f.status == "problem" for f in self.findings)

    def to_json(self) -> dict[str, Any]:
        return {"ok": self.ok, "requests": self.requests, "checks": [f.to_json() for f in self.findings]}


# -- who the file names ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Person:
    """A profile id or e-mail the file names, and where."""

    member: str  # as written
    path: str
    location: Location
    chair: bool  # among the program chairs

    @property
    def key(self) -> str:
        """How lookups match it: e-mails are case-insensitive."""
        return self.member.lower() if "@" in self.member else self.member


def is_person(member: str) -> bool:
    """A profile id or an e-mail (not a group id, which names no one in particular)."""
    return (member.startswith("~") and member[-1:].isdigit()) or "@" in member


def people_named(config: VenueConfig) -> list[Person]:
    """Everyone the file names by profile id or e-mail: each role's ``members`` and each raw group's."""
    found: list[Person] = []
    roles = config.spec.roles
    for name in type(roles).model_fields:
        role = getattr(roles, name)
        for index, member in enumerate(getattr(role, "members", None) or ()):
            written: PathKey = ("roles", name, "members", index)
            if written not in config.source.values:  # the shorthand `reviewers: [a, b]`
                written = ("roles", name, index)
            found.append(Person(member, f"roles.{name}.members[{index}]", config.source.locate(written),
                                chair=name == "program_chairs"))
    for number, group in enumerate(config.spec.groups):
        members = group.get("members")
        if isinstance(members, dict):  # {"add": [...]}
            members = members.get("add") or members.get("append")
        if not isinstance(members, list):
            continue
        for index, member in enumerate(members):
            if isinstance(member, str):
                found.append(Person(member, f"groups[{number}].members[{index}]",
                                    config.source.locate(("groups", number, "members", index)), chair=False))
    return [p for p in found if is_person(p.member)]


# -- reading -----------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ServerRead:
    target: str
    caller: str | None  # the caller's profile id
    api_version: str | None
    unknown_because: str | None = None  # why there is no version: the request's error, or what the answer lacked


@dataclass(frozen=True)
class VenueRead:
    """What the venue's checks read from the server."""

    venue_id: str
    people: tuple[Person, ...]
    existing: frozenset[str]  # ``Person.key`` of those with a profile
    people_error: str | None = None
    venue_exists: bool = False
    refused: str | None = None  # why the caller may not act for the venue, when it exists (a whole sentence)
    support: tuple[Change, ...] = ()  # what a plan against the live state leaves to a super user
    super_user: bool = False  # the caller may sign as OpenReview's super user
    sandbox: bool = False
    caller: str | None = None
    caller_names: frozenset[str] = field(default=frozenset())  # its profile id and login (lower-cased e-mail)


def read_server(target: Target) -> ServerRead:
    """The server's API version, from its OpenAPI definition (one request)."""
    reader = target.reader
    caller = reader.identity.profile_id if reader.identity else None
    try:
        text = reader.get_text(API_DEFINITION)
    except ApiError as error:
        return ServerRead(target.label, caller, None, f"GET {API_DEFINITION} answered {error.status} {error.name}")
    return ServerRead(target.label, caller, *definition_version(text))


def definition_version(text: str) -> tuple[str | None, str | None]:
    """``info.version`` of an OpenAPI document, or None and why not."""
    if len(text) > MAX_DEFINITION_CHARS:
        return None, f"{API_DEFINITION} is over {MAX_DEFINITION_CHARS:,} characters"
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        document = yaml.load(text, Loader=loader)  # a safe loader (C when pyyaml has it)
    except yaml.YAMLError:
        return None, f"{API_DEFINITION} is not YAML"
    info = document.get("info") if isinstance(document, dict) else None
    version = info.get("version") if isinstance(info, dict) else None
    if version is None or isinstance(version, (dict, list)):
        return None, f"{API_DEFINITION} states no info.version"
    return str(version), None


def read_venue(config: VenueConfig, target: Target) -> tuple[VenueRead, int]:
    """What the venue's checks need, and the requests it took: the people's profiles (in batches), the
    venue's objects as a plan reads them, and what the caller may sign as."""
    reader = target.reader
    before = reader.requests_made
    people = tuple(people_named(config))
    identity = reader.identity
    common: dict[str, Any] = {
        "venue_id": config.spec.venue.id, "people": people, "sandbox": target.is_sandbox,
        "caller": identity.profile_id if identity else None,
        "caller_names": frozenset({identity.profile_id, identity.login.lower()} if identity else ())}
    try:
        existing, people_error = existing_people(reader, [p.member for p in people]), None
    except ApiError as error:
        existing, people_error = frozenset(), f"{error.status} {error.name}: {error.message}"
    try:
        plan = plan_venue(config, target).plan
    except (TargetError, UnreadableVenue) as error:  # the venue exists; the caller may not act for it
        return VenueRead(existing=existing, people_error=people_error, venue_exists=True, refused=str(error),
                         **common), reader.requests_made - before
    except ApiError as error:
        return VenueRead(existing=existing, people_error=people_error, venue_exists=True,
                         refused=f"the venue's objects cannot be read: {error.status} {error.name}: {error.message}",
                         **common), reader.requests_made - before
    support = tuple(support_changes(plan))
    creates_venue = any(c.kind == "group" and c.id == plan.venue_id and c.action is Action.CREATE
                        for c in plan.changes)
    super_user = target.is_sandbox or (bool(support) and may_provision(reader))
    return VenueRead(existing=existing, people_error=people_error, venue_exists=not creates_venue, support=support,
                     super_user=super_user, **common), reader.requests_made - before


def existing_people(reader: ApiClient, members: list[str]) -> frozenset[str]:
    """The members (``Person.key``) that have a profile: profile ids in batches (``GET /profiles?ids=``),
    e-mails in batches (``?emails=``). A profile's e-mails show only to its owner and the super user, others
    see ``****@domain``: an e-mail the answer does not show, while a hidden one of its domain might be it, is
    asked about alone (``?email=``)."""
    ids = sorted({m for m in members if m.startswith("~")})
    emails = sorted({m.lower() for m in members if "@" in m})
    found: set[str] = set()
    for profile in reader.get_by_ids("profiles", ids) if ids else ():
        found.update(profile_names(profile))
    if emails:
        profiles = reader.get_by_ids("profiles", emails, key="emails")
        shown = {e.lower() for p in profiles for e in profile_emails(p)}
        hidden_domains = {e.rpartition("@")[2] for e in shown if "*" in e.partition("@")[0]}
        for email in emails:
            if email in shown or (email.rpartition("@")[2] in hidden_domains
                                  and reader.get("/profiles", {"email": email}).get("profiles")):
                found.add(email)
    return frozenset(found)


def profile_names(profile: dict[str, Any]) -> set[str]:
    """A profile's id and every username it has (a profile id may name it by an alias)."""
    names = {str(profile.get("id"))}
    for name in (profile.get("content") or {}).get("names") or []:
        if isinstance(name, dict) and name.get("username"):
            names.add(str(name["username"]))
    return names


def profile_emails(profile: dict[str, Any]) -> list[str]:
    content = profile.get("content") or {}
    return [str(e) for e in [*(content.get("emails") or []), content.get("preferredEmail")] if e]


# -- judging -----------------------------------------------------------------------------------------------
def server_findings(read: ServerRead) -> list[Finding]:
    if read.api_version is None:
        return [Finding("api_version", "warning", f"the server does not say which version of the OpenReview API it "
                                                  f"speaks ({read.unknown_because}); venueops knows "
                                                  f"{_known()}")]
    if read.api_version not in KNOWN_API_VERSIONS:
        return [Finding("api_version", "warning", f"the server speaks OpenReview API {read.api_version}, which "
                                                  f"venueops does not know (it knows {_known()}): read plans "
                                                  "closely before applying them")]
    return [Finding("api_version", "ok", f"the server speaks OpenReview API {read.api_version}, which venueops "
                                         "knows")]


def _known() -> str:
    return ", ".join(KNOWN_API_VERSIONS)


def venue_findings(read: VenueRead, *, file: str, target: str) -> list[Finding]:
    return people_findings(read) + rights_findings(read, file=file, target=target)


def people_findings(read: VenueRead) -> list[Finding]:
    if read.people_error is not None:
        return [Finding("people", "problem", f"the profiles could not be looked up: {read.people_error}")]
    out = []
    for person in read.people:
        if person.key in read.existing:
            continue
        if read.sandbox and person.chair and chair_login(person.member) is not None:
            out.append(Finding("people", "warning", f"{person.member} ({person.path}) has no profile on the sandbox "
                                                    "yet: `venueops apply --sandbox` registers the program chairs",
                               person.location, person.path))
            continue
        out.append(Finding("people", "problem", f"{person.member} ({person.path}) has no OpenReview profile",
                           person.location, person.path))
    if not out:
        count = len(read.people)
        if count == 0:
            message = "the file names nobody by profile id or e-mail"
        elif count == 1:
            message = "the one person the file names by profile id or e-mail has a profile"
        else:
            message = f"all {count} people the file names by profile id or e-mail have profiles"
        out.append(Finding("people", "ok", message))
    return out


def rights_findings(read: VenueRead, *, file: str, target: str) -> list[Finding]:
    who = read.caller or "the caller"
    venue = read.venue_id
    if read.refused is not None:
        return [Finding("rights", "problem", read.refused)]
    apply_command = f"venueops apply {shlex.quote(file)} --baseurl {shlex.quote(target)}"
    if read.sandbox:
        made = f"; its super user provisions what OpenReview support would ({len(read.support)} objects)" \
            if read.support else ""
        return [Finding("rights", "ok", f"on the sandbox, apply acts for the venue {venue} as its first program chair "
                                        f"(registered as needed){made}")]
    if not read.support:
        return [Finding("rights", "ok", f"{who} may act for the venue {venue}")]
    listing = tuple(support_listing(list(read.support), indent="").splitlines())
    what = (f"the venue {venue} does not exist yet" if not read.venue_exists
            else f"the venue {venue} lacks objects only OpenReview support may create")
    count = f"{len(read.support)} object{'s' if len(read.support) != 1 else ''}"
    if read.super_user:
        return [Finding("rights", "ok", f"{what}; {who} may provision it as OpenReview's super user ({count})",
                        listing=listing, commands=(f"{apply_command} --bootstrap",))]
    out = [Finding("rights", "problem", f"{what}, and {who} may not create what OpenReview support provisions: "
                                        f"support must provision first ({count})",
                   listing=listing, commands=(f"{apply_command} --bootstrap", apply_command))]
    chairs = [p for p in read.people if p.chair]
    if read.caller and not any(p.key in read.caller_names for p in chairs):
        out.append(Finding("rights", "warning", f"{who} is not among the program chairs the file names, so it will "
                                                f"not act for {venue} once support has created it either",
                           chairs[0].location if chairs else None, "roles.program_chairs.members"))
    return out


# -- both, and the text ----------------------------------------------------------------------------------
def check_server(target: Target) -> list[Finding]:
    return server_findings(read_server(target))


def check_venue(config: VenueConfig, target: Target) -> OnlineReport:
    read, requests = read_venue(config, target)
    return OnlineReport(config.file, tuple(venue_findings(read, file=config.file, target=target.label)), requests)


def render_text(findings: list[Finding] | tuple[Finding, ...], indent: str = "  ") -> str:
    """One line a finding (``status  check: [file:line:col: ]message``), then what it lists."""
    lines = []
    width = max(len(s) for s in ("ok", "warning", "problem"))
    for finding in findings:
        where = f"{finding.location}: " if finding.location is not None and finding.status != "ok" else ""
        lines.append(f"{indent}{finding.status:<{width}}  {CHECK_TITLES[finding.check]}: {where}{finding.message}")
        more = indent + " " * (width + 2)
        lines += [f"{more}  {line}" for line in finding.listing]
        if finding.commands:
            first, *then = finding.commands
            lines.append(f"{more}OpenReview support would run: {first}" if finding.status == "problem"
                         else f"{more}run: {first}")
            lines += [f"{more}then a program chair: {command}" for command in then]
    return "\n".join(lines) + "\n" if lines else ""


def summary(report: OnlineReport) -> str:
    problems = sum(f.status == "problem" for f in report.findings)
    warnings = sum(f.status == "warning" for f in report.findings)
    said = [f"{problems} problem{'s' if problems != 1 else ''}"] if problems else []
    said += [f"{warnings} warning{'s' if warnings != 1 else ''}"] if warnings else []
    return (f"{report.file}: online: {', '.join(said) or 'ok'} ({report.requests} request"
            f"{'s' if report.requests != 1 else ''}, all reads)")


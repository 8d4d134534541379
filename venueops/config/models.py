"""The venue file's schema: pydantic models of what a venue YAML may say.

These types describe the configuration *as written* (Terraform's ``configs`` habit): strings for
dates, names of roles, forms as additions and removals. They do not know OpenReview's JSON; the
compiler (``venueops.compile``) turns them into groups and invitations.

Every model forbids unknown keys and is immutable. ``schemas/venue.schema.json`` is generated from
them (``venueops schema``); a test fails when it is stale.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    ValidationInfo,
    field_validator,
    model_validator,
)

from venueops.config.dates import DateError, format_ms, parse_date, parse_zone
from venueops.openreview import rules

SCHEMA_ID = "https://venueops.dev/schemas/venue.schema.json"
NAME_PATTERN = r"^[A-Za-z][A-Za-z0-9_]*$"
VENUE_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._\-]*(/[A-Za-z0-9][A-Za-z0-9._\-]*)*$"
MEMBER_PATTERN = r"^(~[^\s~]+[0-9]+|[^@\s]+@[^@\s]+\.[^@\s]+|[A-Za-z0-9][^\s,]*)$"
# Lengths that keep every id the venue's objects derive (``<venue>/Submission12345/<Role>/-/<Stage>``)
# within OpenReview's id limit (``rules.MAX_ID_LENGTH``, 1000 characters).
MAX_VENUE_ID_LENGTH = 300
MAX_NAME_LENGTH = 100


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


def _date_text(value: Any) -> Any:
    """YAML reads ``2026-02-01`` as a date and ``2026-02-01 10:00:00`` as a datetime: keep text."""
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            return value.strftime("%Y-%m-%d %H:%M:%S")
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _check_date_syntax(value: str) -> str:
    try:
        moment = parse_date(value, "UTC", end_of_day=False).ms
    except DateError as error:
        raise ValueError(str(error)) from None
    if rules.date_problem(moment) is not None:
        raise ValueError(f"{value} is outside the dates OpenReview stores (1970-01-01 to "
                         f"{format_ms(rules.MAX_DATE, 'UTC')})")
    return value


When = Annotated[
    str,
    BeforeValidator(_check_date_syntax),
    BeforeValidator(_date_text),
    Field(description="A date: 2026-03-01, 2026-03-01 23:59, 2026-03-01 23:59 AoE, or ISO 8601 with an offset. "
                      "Without a zone, the venue's timezone applies."),
]
Name = Annotated[str, Field(pattern=NAME_PATTERN, max_length=MAX_NAME_LENGTH,
                            description="An OpenReview name part: letters, digits, _")]
Member = Annotated[
    str, Field(pattern=MEMBER_PATTERN, description="A profile id (~First_Last1), an e-mail or a group id")]

# Who, as written in venue files (compiled into group ids per venue and per paper).
Audience = Literal[
    "everyone", "program_chairs", "senior_area_chairs", "senior_area_chairs_assigned", "area_chairs",
    "area_chairs_assigned", "reviewers", "reviewers_assigned", "reviewers_submitted", "authors",
    "ethics_chairs", "ethics_reviewers", "ethics_reviewers_assigned",
]
def _release(value: Any) -> Any:
    if isinstance(value, bool) or value == "after_due":
        return value
    raise ValueError(f"{value!r} is not a release: write true, false or after_due")


Release = Annotated[
    bool | Literal["after_due"],
    BeforeValidator(_release),
    Field(description="true: at once; false: never; after_due: once the stage's due date has passed"),
]


# Free text that YAML may have read as a date (``start_date: 2027-05-03``): kept as written.
DisplayText = Annotated[str, BeforeValidator(_date_text)]


# -- venue ---------------------------------------------------------------------------------------
class VenueInfo(Model):
    """Who the venue is: its id and what its homepage says."""

    id: str = Field(pattern=VENUE_ID_PATTERN, max_length=MAX_VENUE_ID_LENGTH,
                    description="The venue id, e.g. ICLR.cc/2027/Conference")
    name: str = Field(min_length=1, description="Full name, shown on the homepage")
    short_name: str | None = Field(default=None, description="Short name, e.g. ICLR 2027 (defaults to the name)")
    website: str | None = None
    contact: str | None = Field(default=None, description="Contact e-mail shown to users")
    location: str | None = None
    instructions: str | None = Field(default=None, description="Homepage instructions (markdown)")
    start_date: DisplayText | None = Field(default=None, description="Displayed start date, free text")
    date: DisplayText | None = Field(default=None, description="Displayed date, free text")
    timezone: str = Field(default="UTC", description="Zone for every date written without one: AoE, UTC, +02:00, "
                                                     "or an IANA name")
    email_sender_name: str | None = Field(default=None, description="Name in the From: of venue e-mails")

    @field_validator("timezone")
    @classmethod
    def _zone(cls, value: str) -> str:
        try:
            parse_zone(value)
        except DateError as error:
            raise ValueError(str(error)) from None
        return value


# -- roles ---------------------------------------------------------------------------------------
class Role(Model):
    """A committee: its group's name and, optionally, its members."""

    name: Name | None = Field(default=None, description="Group name under the venue (e.g. Program_Committee)")
    members: tuple[Member, ...] | None = Field(
        default=None, description="Profile ids or e-mails. Given, venueops owns the membership; left out, "
                                  "membership is managed elsewhere (recruitment, assignments, the UI)")

    @model_validator(mode="before")
    @classmethod
    def _members_shorthand(cls, value: Any) -> Any:
        return {"members": value} if isinstance(value, list) else value


class AnonymousRole(Role):
    """A committee whose members act in each paper under anonymous ids (``Reviewer_ABCD``), as
    OpenReview always sets them up."""

    identity_visible_to: tuple[Audience, ...] = Field(
        default=(), description="Who, besides the program chairs, may learn which member is behind an anonymous id")


class ReviewersRole(AnonymousRole):
    anonymous: bool = Field(
        default=True, description="false: reviewers may also sign reviews with their profile (the default of "
                                  "stages.review.allow_de_anonymization); their paper groups keep anonymous ids")


class Roles(Model):
    """The venue's committees. A role left out (or null) does not exist in the venue."""

    program_chairs: Role = Field(description="The venue's chairs: full rights on the venue")
    reviewers: ReviewersRole | None = Field(default_factory=ReviewersRole, description="Set to null for no reviewers")
    area_chairs: AnonymousRole | None = Field(default=None, description="Give `{}` for area chairs")
    senior_area_chairs: Role | None = Field(default=None, description="Give `{}` for senior area chairs")
    authors: Role = Field(default_factory=Role, description="Only `name` applies: authors join by submitting")
    ethics_chairs: Role | None = Field(default=None, description="Give `{}` for ethics chairs")
    ethics_reviewers: AnonymousRole | None = Field(default=None, description="Give `{}` for ethics reviewers")
    publication_chairs: Role | None = Field(default=None, description="Publication chairs (read accepted authors)")


# -- forms ---------------------------------------------------------------------------------------
class FieldSpec(Model):
    """A form field: OpenReview's param specifiers, flat (``type``, ``regex``, ``optional``, …)."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    type: str | None = Field(default=None, description="string, string[], integer, float, boolean, date, json, "
                                                        "file, profile, profile[], group[], author{} …")
    description: str | None = None
    order: int | None = None
    optional: bool | None = None
    deletable: bool | None = None
    regex: str | None = None
    enum: tuple[Any, ...] | None = None
    items: tuple[dict[str, Any], ...] | None = None
    const: Any = None
    default: Any = None
    minLength: int | None = None
    maxLength: int | None = None
    range: tuple[float, float] | None = None
    minimum: float | None = None
    maximum: float | None = None
    input: Literal["text", "textarea", "select", "checkbox", "radio"] | None = None
    markdown: bool | None = None
    scroll: bool | None = None
    hidden: bool | None = None
    mismatchError: str | None = None
    fieldName: str | None = None
    maxSize: int | None = Field(default=None, description="file: size in MB")
    extensions: tuple[str, ...] | None = Field(default=None, description="file: allowed extensions, without dots")
    properties: dict[str, Any] | None = None
    readers: tuple[str, ...] | None = Field(default=None, description="Who may read this field (group ids; "
                                                                       "templates allowed)")

    # What OpenReview refuses when it saves the invitation (``venueops.openreview.rules``), reported here,
    # at the specifier's own line, rather than by the server halfway through an apply.
    @field_validator("type")
    @classmethod
    def _known_type(cls, value: str | None) -> str | None:
        problem = rules.type_problem(value) if value is not None else None
        if problem:
            raise ValueError(problem)
        return value

    @field_validator("regex")
    @classmethod
    def _valid_regex(cls, value: str | None) -> str | None:
        problem = rules.regex_problem(value) if value is not None else None
        if problem:
            raise ValueError(problem)
        return value

    @field_validator("minLength")
    @classmethod
    def _not_negative(cls, value: int | None) -> int | None:
        if value is not None and value < 0:
            raise ValueError("must not be negative")
        return value

    @field_validator("maxLength")
    @classmethod
    def _max_length(cls, value: int | None, info: ValidationInfo) -> int | None:
        if value is not None and value < 0:
            raise ValueError("must not be negative")
        least = info.data.get("minLength")
        if value is not None and least is not None and least > value:
            raise ValueError(f"minLength ({least}) is more than maxLength ({value})")
        return value

    @field_validator("maxSize")
    @classmethod
    def _positive_size(cls, value: int | None) -> int | None:
        if value is not None and value <= 0:
            raise ValueError("maxSize (MB) is positive")
        return value

    @field_validator("range")
    @classmethod
    def _range_in_order(cls, value: tuple[float, float] | None) -> tuple[float, float] | None:
        if value is not None and value[0] > value[1]:
            raise ValueError(f"range starts ({value[0]:g}) after it ends ({value[1]:g})")
        return value

    @field_validator("maximum")
    @classmethod
    def _maximum(cls, value: float | None, info: ValidationInfo) -> float | None:
        least = info.data.get("minimum")
        if value is not None and least is not None and least > value:
            raise ValueError(f"minimum ({least:g}) is more than maximum ({value:g})")
        return value

    @field_validator("enum")
    @classmethod
    def _some_choices(cls, value: tuple[Any, ...] | None) -> tuple[Any, ...] | None:
        if value is not None and not value:
            raise ValueError("enum lists at least one choice")
        return value

    @field_validator("items")
    @classmethod
    def _items(cls, value: tuple[dict[str, Any], ...] | None) -> tuple[dict[str, Any], ...] | None:
        for _, message in rules.param_problems({"items": list(value)} if value is not None else {}):
            raise ValueError(message)
        return value


class Form(Model):
    """A stage's form: OpenReview's default form for the stage, changed."""

    add: dict[str, FieldSpec] = Field(default_factory=dict, description="Fields to add (or replace)")
    remove: tuple[str, ...] = Field(default=(), description="Default fields to drop")
    change: dict[str, FieldSpec] = Field(default_factory=dict,
                                         description="Default fields to change: the given specifiers replace theirs")

    @field_validator("add", "change")
    @classmethod
    def _field_names(cls, value: dict[str, FieldSpec]) -> dict[str, FieldSpec]:
        for name in value:
            if not re.fullmatch(r"[A-Za-z0-9_\-]{1,80}", name):
                raise ValueError(f"field name {name!r} must be 1 to 80 letters, digits, _ or -")
        return value


# -- stages --------------------------------------------------------------------------------------
class Stage(Model):
    """Dates every stage has. ``expiration`` defaults as OpenReview's builder does (due + 30 minutes)."""

    start: When = Field(description="When the stage opens (cdate)")
    due: When | None = Field(default=None, description="The advertised deadline (duedate)")
    expiration: When | None = Field(default=None, description="When it closes for good (expdate)")


class SubmissionStage(Stage):
    name: Name = "Submission"
    due: When = Field(description="The submission deadline")
    abstract_due: When | None = Field(
        default=None, description="Abstract registration deadline: before it, papers register without a PDF; "
                                  "the full paper is due at `due`")
    double_blind: bool = Field(default=False, description="Hide author identities from reviewers and the public")
    readers_after_due: tuple[Audience, ...] = Field(
        default=(), description="Who may read submissions after the deadline (program chairs and the paper's "
                                "authors always)")
    hide_fields: tuple[str, ...] = Field(default=(), description="Further fields only chairs and authors read")
    post_submission: bool = Field(
        default=True, description="Make Post_<name>, which after the deadline gives submissions their "
                                  "readers_after_due and hides hide_fields. Off for a venue whose own invitations "
                                  "do that (workflow-based venues: Submission_Change_Before_Bidding)")
    form: Form = Field(default_factory=Form)
    license: str | tuple[str, ...] = Field(default="CC BY 4.0", description="One license, or a list to choose from")
    force_profiles: bool = Field(default=False, description="Authors must have OpenReview profiles")
    subject_areas: tuple[str, ...] = ()
    email_authors: bool = True
    email_program_chairs: bool = False
    withdrawal_expiration: When | None = Field(default=None, description="Last moment authors may withdraw")
    withdrawn_public: bool = False
    withdrawn_reveal_authors: bool = False
    desk_rejected_public: bool = False
    desk_rejected_reveal_authors: bool = False
    full_paper_author_changes: Literal["allow_reorder", "allow_edit", "disallow_edit"] = Field(
        default="allow_reorder",
        description="With `abstract_due`: what the full-paper form lets authors do with the author list registered "
                    "with the abstract. allow_reorder (OpenReview's default) carries the list over as registered, "
                    "allow_edit leaves the author fields editable, disallow_edit leaves them out of the form")


class BiddingStage(Stage):
    committee: Literal["reviewers", "area_chairs", "senior_area_chairs"] = "reviewers"
    request_count: int = Field(default=50, ge=0, description="Bids each member is asked for")
    allow_conflict_bids: bool = False


class ReviewStage(Stage):
    name: Name = "Official_Review"
    release_to_authors: Release = False
    release_to_reviewers: Literal["signature", "submitted", "assigned", "all"] = Field(
        default="signature", description="Which reviewers read a review: its signer only, the paper's reviewers "
                                         "once they submitted, all the paper's reviewers, or all reviewers")
    public: bool = False
    allow_de_anonymization: bool | None = Field(
        default=None, description="Reviewers may sign with their profile (default: when roles.reviewers.anonymous "
                                  "is false)")
    rating_field: str = "rating"
    confidence_field: str = "confidence"
    email_program_chairs: bool = False
    description: str | None = Field(default=None, description="Instructions shown above each paper's review form")
    form: Form = Field(default_factory=Form)


class RebuttalStage(Stage):
    name: Name = "Rebuttal"
    mode: Literal["per_review", "single", "unlimited"] = Field(
        default="per_review", description="One rebuttal per review, one per paper, or any number per paper")
    readers: tuple[Audience, ...] = Field(default=(), description="Besides program chairs and the paper's authors")
    email_program_chairs: bool = False
    email_area_chairs: bool = False
    form: Form = Field(default_factory=Form)


class MetaReviewStage(Stage):
    name: Name = "Meta_Review"
    release_to_authors: Release = False
    release_to_reviewers: Literal["none", "assigned", "submitted", "all"] = "none"
    public: bool = False
    recommendation_field: str = "recommendation"
    description: str | None = Field(default=None, description="Instructions shown above each paper's meta review "
                                                              "form")
    form: Form = Field(default_factory=Form)


class DecisionStage(Stage):
    name: Name = "Decision"
    options: tuple[str, ...] = ("Accept (Oral)", "Accept (Poster)", "Reject")
    accept_options: tuple[str, ...] | None = Field(
        default=None, description="Options that accept a paper (default: those containing 'Accept')")
    release_to_authors: Release = False
    release_to_reviewers: bool = False
    release_to_area_chairs: bool = False
    public: bool = False
    email_authors: bool = False
    form: Form = Field(default_factory=Form)


class CommentStage(Model):
    name: Name = "Official_Comment"
    start: When
    end: When | None = Field(default=None, description="When commenting closes (expdate)")
    participants: tuple[Audience, ...] = Field(
        default=("program_chairs", "senior_area_chairs_assigned", "area_chairs_assigned", "reviewers_assigned"),
        description="Who may comment (and read comments)")
    public_comments: bool = Field(default=False, description="Also let any logged-in user comment publicly")
    reader_selection: bool = Field(default=False, description="Commenters choose readers among the participants")
    readers: tuple[Audience, ...] = Field(
        default=(), description="Further readers of comments, who may not comment themselves (everyone, "
                                "senior_area_chairs_assigned, area_chairs_assigned, reviewers_assigned, "
                                "reviewers_submitted, authors)")
    check_mandatory_readers: bool = Field(
        default=True, description="With reader_selection: refuse comments the program chairs (and the paper's "
                                  "senior area chairs) cannot read")
    email_program_chairs: bool = False
    description: str | None = Field(default=None, description="Instructions shown above the comment form "
                                                                "(default: OpenReview's generated text)")
    form: Form = Field(default_factory=Form)


class RevisionStage(Stage):
    name: Name = "Revision"
    only_accepted: bool = False
    author_changes: Literal["allow_edit", "allow_reorder", "disallow_edit"] = Field(
        default="allow_edit",
        description="What authors may do with the author list: allow_edit (add, remove, reorder), allow_reorder "
                    "(the list stays as submitted), disallow_edit (the author fields are left out of the form)")
    allow_license_edition: bool = Field(default=False, description="Authors may change the submission's license")
    history_readers: Literal["authors", "submission_readers"] = Field(
        default="authors", description="Who reads the revision history: the program chairs and the paper's authors, "
                                       "or everyone who reads the submission")
    form: Form = Field(default_factory=Form, description="Changes to the submission form (as the submission "
                                                         "stage's form changed it)")


class CameraReadyStage(RevisionStage):
    name: Name = "Camera_Ready_Revision"
    only_accepted: bool = True


class CustomStage(Stage):
    name: Name
    reply_to: Literal["forum", "reviews", "meta_reviews", "rebuttals"] = "forum"
    source: Literal["all", "accepted", "public"] = "all"
    invitees: tuple[Audience, ...] = Field(min_length=1)
    readers: tuple[Audience, ...] = Field(min_length=1)
    multiple: bool = Field(default=False, description="Allow more than one reply per invitee")
    allow_de_anonymization: bool = Field(default=False, description="Invitees may sign with their profile; the "
                                                                    "signer always reads the reply")
    email_program_chairs: bool = False
    email_senior_area_chairs: bool = False
    notify_readers: bool = Field(default=False, description="E-mail the readers of each reply")
    email_template: str | None = Field(default=None, description="Text of the e-mail to readers")
    description: str | None = Field(default=None, description="Instructions shown above the form")
    form: Form = Field(description="The fields of this stage (`add`)")


class Stages(Model):
    """The venue's timeline. Only `submission` is required; leave out the stages the venue does not have."""

    submission: SubmissionStage = Field(description="Calling for papers (also withdrawal and desk rejection)")
    bidding: tuple[BiddingStage, ...] = Field(default=(), description="Bidding, per committee (one entry or a list)")
    review: ReviewStage | None = Field(default=None, description="Official reviews")
    rebuttal: RebuttalStage | None = Field(default=None, description="Author rebuttals (needs `review`)")
    meta_review: MetaReviewStage | None = Field(default=None, description="Meta reviews by area chairs")
    decision: DecisionStage | None = Field(default=None, description="Decisions by the program chairs")
    comments: CommentStage | None = Field(default=None, description="Official (and public) comments")
    revision: RevisionStage | None = Field(default=None, description="Authors revise their submissions")
    camera_ready: CameraReadyStage | None = Field(default=None, description="Camera-ready revisions of accepted papers")
    custom: tuple[CustomStage, ...] = Field(default=(), description="Further stages of your own")

    @model_validator(mode="before")
    @classmethod
    def _single_bidding(cls, value: Any) -> Any:
        if isinstance(value, dict) and isinstance(value.get("bidding"), dict):
            return {**value, "bidding": [value["bidding"]]}
        return value


# -- the file ------------------------------------------------------------------------------------
RawObject = Annotated[dict[str, Any], Field(description="An object in OpenReview's own JSON shape")]


class IgnoreChanges(Model):
    """Fields of one object that venueops leaves to people: never planned, never restored, never
    reported as drift (a chair edits them in OpenReview's UI). The object is still created from the
    file when it does not exist."""

    object: str = Field(description="The object's id; an id starting with '/' is relative to the venue id "
                                    "(/-/Official_Review is <venue id>/-/Official_Review)", min_length=1)
    fields: tuple[str, ...] = Field(min_length=1, description="Dotted paths as plans show them (web, description, "
                                                              "edit.invitation.instructions); a path covers "
                                                              "everything under it")


class Lifecycle(Model):
    """What venueops does not own."""

    ignore_changes: tuple[IgnoreChanges, ...] = Field(default=(), description="Fields venueops leaves alone "
                                                                              "once the object exists")


class Override(Model):
    """Fields of an object the stages produce, set (or removed) as written, after the stages compile.

    For a venue whose live objects depart from what its stages compile: ``venueops export`` writes one
    for each field of an adopted venue that no stage option reproduces (a builder's differently worded
    process script, say), so the venue plans empty and the difference stays visible in the file."""

    object: str = Field(min_length=1, description="The object's id; an id starting with '/' is relative to the "
                                                  "venue id (/-/Decision is <venue id>/-/Decision)")
    set: dict[str, Any] = Field(default_factory=dict, description="Dotted field path (as plans show it) → the "
                                                                  "value it takes, in OpenReview's JSON")
    unset: tuple[str, ...] = Field(default=(), description="Dotted field paths the object goes without")

    @model_validator(mode="after")
    def _says_something(self) -> Override:
        if not self.set and not self.unset:
            raise ValueError("an override sets or unsets at least one field")
        for path in (*self.set, *self.unset):
            if not path or any(part == "" for part in path.split(".")):
                raise ValueError(f"field path {path!r} has an empty part")
        return self


BUILT_IN_POLICIES = ("reviews_before_deadline", "double_blind_identities", "committee_reads_replies",
                     "stage_after_last")
Verb = Literal["read", "post", "sign"]
Moment = Annotated[str, BeforeValidator(_date_text)]


class PolicyRule(Model):
    """A rule of the venue's own, checked against the access model by `validate` and `plan`: `role` may
    never `may_not` `what` before `before` (without `before`: never), or `role` must be able to `must`
    `what` from `from` (without `from`: whenever the object exists). A rule has `may_not` or `must`."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True,
                              json_schema_extra={"oneOf": [{"required": ["may_not"]}, {"required": ["must"]}]})

    role: str = Field(min_length=1, description="A role as `venueops access` names them: program_chairs, "
                                                "reviewers, reviewers_assigned, reviewers_submitted, area_chairs, "
                                                "area_chairs_assigned, authors, public, logged_in, …")
    may_not: Verb | None = Field(default=None, description="What the role may never do (read, post, sign)")
    must: Verb | None = Field(default=None, description="What the role must be able to do (read, post, sign)")
    what: str = Field(min_length=1, description="submissions, author identities, a stage key (review, "
                                                "meta_review, decision, rebuttal, comments) or an invitation name")
    before: Moment | None = Field(
        default=None, description="With may_not: a date, or a stage's date: review.due, decision.start")
    from_: Moment | None = Field(
        default=None, alias="from", description="With must: a date, or a stage's date (review.due); without it, "
                                                "from the object's creation (post: at some time)")
    severity: Literal["error", "warning"] = "error"

    @model_validator(mode="after")
    def _one_form(self) -> PolicyRule:
        if (self.may_not is None) == (self.must is None):
            raise ValueError("a rule says either may_not (with before) or must (with from), not "
                             + ("both" if self.may_not is not None else "neither"))
        if self.may_not is not None and self.from_ is not None:
            raise ValueError("`from` goes with must; a may_not rule says `before`")
        if self.must is not None and self.before is not None:
            raise ValueError("`before` goes with may_not; a must rule says `from`")
        return self


class Policies(Model):
    """Rules about who may see and do what, checked before apply (built-in ones, and the venue's own)."""

    allow: tuple[Literal["reviews_before_deadline", "double_blind_identities", "committee_reads_replies",
                         "stage_after_last"], ...] = Field(
        default=(), description="Built-in rules this venue turns off on purpose: reviews_before_deadline (the "
                                "authors, or everyone, read reviews before the review deadline), "
                                "double_blind_identities, committee_reads_replies (the paper's area chairs and "
                                "senior area chairs read its reviews, rebuttals and meta reviews, the program "
                                "chairs every reply, once posted), stage_after_last")
    rules: tuple[PolicyRule, ...] = ()


class VenueFile(Model):
    """A venue: who it is, its committees, its stages, and raw objects for anything else."""

    model_config = ConfigDict(extra="forbid", frozen=True, title="venueops venue file")

    extends: str | tuple[str, ...] | None = Field(
        default=None, description="Base file(s) this file is written over, relative to this file "
                                  "(../base/workshop.yaml, or a list: later ones override earlier ones, this file "
                                  "overrides them all). Mappings merge key by key; a list replaces the base's "
                                  "unless written {append: [...]} or {remove: [...]}; null removes a key a base sets")
    base: StrictBool = Field(
        default=False, description="true: this file is a base, extended by venue files and never planned itself; it "
                                   "may leave required values (venue.id, ...) to them, and validating it says which")
    venue: VenueInfo
    roles: Roles
    stages: Stages
    groups: tuple[RawObject, ...] = Field(default=(), description="Raw groups, merged after the stages")
    invitations: tuple[RawObject, ...] = Field(default=(), description="Raw invitations, merged after the stages")
    overrides: tuple[Override, ...] = Field(default=(), description="Fields of stage-made objects set as written")
    lifecycle: Lifecycle = Field(default_factory=Lifecycle, description="Fields venueops does not own")
    policies: Policies = Field(default_factory=Policies, description="Who may never, or must, see or do what "
                                                                     "(checked by validate and plan)")


def json_schema() -> dict[str, Any]:
    """The JSON Schema of venue files (what ``schemas/venue.schema.json`` holds)."""
    schema = VenueFile.model_json_schema(mode="validation")
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": SCHEMA_ID, **schema}

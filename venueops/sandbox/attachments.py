"""Attachments: ``PUT /attachment`` keeps an uploaded file; ``GET /attachment`` and ``GET /pdf`` give
back the file a note's field names (notes/api-v2.md §2, openreview-py's ``put_attachment``,
``get_attachment`` and ``get_pdf``).

An upload names the invitation and the content field it is for. The field must be a ``file`` param
of the invitation's note template; the file's extension must be one the param lists and its size
within ``maxSize`` (megabytes). The answer is the value to put in the field: ``/pdf/<sha1>.pdf`` for
a PDF, ``/attachment/<sha1>.<ext>`` otherwise, as OpenReview's values look. Files are kept by that
digest, so the same file twice is one file.

Downloads read the note as the caller may see it (readers and field readers apply), and answer
the bytes the field's value names.

FIDELITY: OpenReview's messages for a field that takes no file, a wrong extension and an oversized
file are not in the sources; the wording here is ours. Uploads count against the
human-verification rate (``verification``: 10 per user per hour, as openreview-py's test says the
API is configured). Chunked uploads (``/attachment/chunk``) are not served.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import Any

from venueops.sandbox.access import Caller
from venueops.sandbox.edits import usable_invitation
from venueops.sandbox.errors import ForbiddenError, MissingRequiredError, NotFoundError, ValidationError
from venueops.sandbox.queries import QueryService
from venueops.sandbox.verification import ATTACHMENT_LIMIT, ATTACHMENT_WINDOW_MS
from venueops.sandbox.world import World

_VALUE_RE = re.compile(r"^/(?:pdf|attachment)/([0-9a-f]{40})\.([A-Za-z0-9]{1,16})$")
_CONTENT_TYPES = {"pdf": "application/pdf", "zip": "application/zip", "png": "image/png", "jpg": "image/jpeg",
                  "jpeg": "image/jpeg", "mp4": "video/mp4", "txt": "text/plain", "csv": "text/csv",
                  "json": "application/json", "tex": "application/x-tex", "bib": "application/x-bibtex"}


@dataclass(frozen=True)
class Upload:
    """One file of a ``PUT /attachment`` form."""

    invitation_id: str | None
    name: str | None
    filename: str | None
    data: bytes | None


@dataclass(frozen=True)
class Download:
    content_type: str
    data: bytes


class AttachmentService:
    def __init__(self, world: World, queries: QueryService) -> None:
        self.world = world
        self.store = world.store
        self.queries = queries

    def upload(self, caller: Caller, upload: Upload) -> dict[str, str]:
        """Keep the file; the value its field takes."""
        if caller.is_guest:
            raise ForbiddenError("Guest users cannot upload attachments")
        for field, value in (("invitationId", upload.invitation_id), ("name", upload.name), ("file", upload.data)):
            if not value:
                raise MissingRequiredError(f"The field {field} cannot be empty or missing", path=field)
        assert upload.invitation_id and upload.name and upload.data is not None
        with self.store.transaction():
            invitation = usable_invitation(self.world, caller, upload.invitation_id)
            spec = _file_param(invitation, upload.name)
            if spec is None:
                raise ValidationError(f"The field {upload.name} of {upload.invitation_id} does not take a file",
                                      path="name")
            extension = _extension(upload.filename)
            allowed = [str(e).lower().lstrip(".") for e in spec.get("extensions") or []]
            if allowed and extension not in allowed:
                raise ValidationError(f"{upload.name} must be a file of type {', '.join(allowed)}", path="file",
                                      invalid_value=upload.filename, has_invalid_value=True)
            max_mb = spec.get("maxSize")
            if isinstance(max_mb, (int, float)) and len(upload.data) > max_mb * 1024 * 1024:
                raise ValidationError(f"{upload.name} must be smaller than {max_mb} MB", path="file")
            now = self.world.now()
            self.world.verification.check(caller.user_label, "attachment", ATTACHMENT_LIMIT, ATTACHMENT_WINDOW_MS,
                                          now)
            digest = hashlib.sha1(upload.data, usedforsecurity=False).hexdigest()
            self.store.put_attachment(digest, _CONTENT_TYPES.get(extension, "application/octet-stream"),
                                      upload.data, now)
            self.world.verification.record(caller.user_label, "attachment", now)
        folder = "pdf" if extension == "pdf" else "attachment"
        return {"url": f"/{folder}/{digest}.{extension or 'bin'}"}

    def download(self, caller: Caller, note_id: str | None, name: str) -> Download:
        """The file the field ``name`` of note ``note_id`` names, as the caller may see the note."""
        if not note_id:
            raise MissingRequiredError("The field id cannot be empty or missing", path="id")
        with self.store.reading():
            notes = self.queries.get_notes(caller, {"id": note_id}).items
            if not notes:
                raise NotFoundError(f"The Note {note_id} was not found", path="id")
            value = ((notes[0].get("content") or {}).get(name) or {}).get("value")
            match = _VALUE_RE.match(value) if isinstance(value, str) else None
            found = self.store.get_attachment(match.group(1)) if match else None
        if found is None:
            raise NotFoundError(f"The attachment {name} of Note {note_id} was not found", path="name")
        return Download(found[0], found[1])


def _file_param(invitation: dict[str, Any], name: str) -> dict[str, Any] | None:
    """The ``file`` param of field ``name`` in the invitation's note template (or in the template
    of the invitations it makes, as a submission's revision forms carry it)."""
    edit = invitation.get("edit")
    for note in _note_templates(edit):
        field = (note.get("content") or {}).get(name) if isinstance(note.get("content"), dict) else None
        value = field.get("value") if isinstance(field, dict) else None
        param = value.get("param") if isinstance(value, dict) else None
        if isinstance(param, dict) and param.get("type") == "file":
            return param
    return None


def _note_templates(edit: Any, depth: int = 0) -> list[dict[str, Any]]:
    if not isinstance(edit, dict) or depth > 4:
        return []
    found = [edit["note"]] if isinstance(edit.get("note"), dict) else []
    inner = edit.get("invitation")
    if isinstance(inner, dict):
        found += _note_templates(inner.get("edit"), depth + 1)
    return found


def _extension(filename: str | None) -> str:
    if not filename or "." not in filename:
        return ""
    return filename.rsplit(".", 1)[1].lower()

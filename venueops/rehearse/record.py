"""What the sandbox did between two steps of a rehearsal: objects created (the control plane's row
counts), processes run and failed (``/logs/process``), and e-mails sent (``/messages``), each kind of
e-mail counted once per subject (the paper it is about taken out) and recipient group."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from venueops.api.client import ApiClient
from venueops.rehearse.cast import MAIL_DOMAIN
from venueops.rehearse.report import Mail

KINDS = ("notes", "groups", "invitations", "edges")
RECIPIENTS = {"author": "authors", "reviewer": "reviewers", "area-chair": "area chairs",
              "senior-area-chair": "senior area chairs", "outsider": "others"}


@dataclass(frozen=True)
class Since:
    created: dict[str, int]
    mails: tuple[Mail, ...]
    processes: tuple[int, int]  # ran, failed
    failures: tuple[str, ...]  # each failed process, in words


class ServerRecord:
    def __init__(self, root: Callable[[], ApiClient], chairs: set[str]) -> None:
        self._root = root  # the super user's client now (its session is renewed as the clock moves)
        self._chairs = chairs  # the program chairs' e-mails
        self._stats = self._counts()
        self._logs_since = 0
        self._seen_mail: set[str] = set()

    def since_last(self, now: int) -> Since:
        counts = self._counts()
        created = {kind: counts.get(kind, 0) - self._stats.get(kind, 0) for kind in KINDS}
        self._stats = counts
        logs = self._root().get("/logs/process", {"minsdate": self._logs_since}).get("logs") or []
        self._logs_since = now + 1
        failed = [log for log in logs if log.get("status") == "error"]
        failures = tuple(f"process of {log.get('invitation')} failed: "
                         f"{(str(log.get('log') or '').strip().splitlines() or ['(no log)'])[-1][:300]}"
                         for log in failed)
        return Since(created, tuple(self._mails()), (len(logs), len(failed)), failures)

    def _counts(self) -> dict[str, int]:
        return dict(self._root().request("GET", "/_sandbox/stats"))

    def _mails(self) -> list[Mail]:
        fresh = [m for m in self._root().pages("messages", {}) if m.get("id") not in self._seen_mail]
        self._seen_mail.update(str(m.get("id")) for m in fresh)
        counts = Counter((generalized((m.get("content") or {}).get("subject", "")),
                          self._recipient((m.get("content") or {}).get("to", ""))) for m in fresh)
        return [Mail(subject, to, n) for (subject, to), n in sorted(counts.items())]

    def _recipient(self, address: str) -> str:
        match = re.fullmatch(rf"[^@]*\.([a-z-]+?)\d+@{re.escape(MAIL_DOMAIN)}", address or "")
        if match:
            return RECIPIENTS.get(match.group(1), "others")
        # the chairs' sandbox accounts (``venueops.targets.sandbox_accounts``) are all at sandbox.local
        return "program chairs" if address in self._chairs or address.endswith("@sandbox.local") else "others"


def generalized(subject: str) -> str:
    """A subject with the paper it is about taken out, so one e-mail per paper counts as one kind."""
    subject = re.sub(r"Rehearsal paper \d+", "Rehearsal paper N", subject)
    return re.sub(r"(?<=Submission)\d+|(?<=Paper #)\d+|(?<=[Nn]umber: )\d+|(?<=paper )\d+", "N", subject)

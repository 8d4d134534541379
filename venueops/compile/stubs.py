"""Script stubs: the small process functions that super invitations and their children carry.

OpenReview's builder keeps each stage's logic in one place (the venue meta invitation's
``invitation_edit_script``, or a super invitation's ``*_process_script`` content) and gives date
processes and per-paper children a stub that fetches that script and runs it, so that updating
the logic touches one object, not one per paper (notes/venue-anatomy.md §2.1). The texts here are
venueops' own, with the behaviour of openreview-py's ``InvitationBuilder`` stubs: same lookups,
same names handed to the script, same call.
"""

from __future__ import annotations

from typing import Any

# A super invitation's date process fires when its children open and 5 s after each change of it.
UPDATE_DELAY_MS = 5000
FAN_OUT_DATES = ("#{4/edit/invitation/cdate}", f"#{{4/mdate}} + {UPDATE_DELAY_MS}")


def invitation_edit_date_process(meta_invitation_id: str) -> str:
    """A super invitation's date process: run the meta invitation's ``invitation_edit_script``
    (the fan-out that posts, replaces or deletes the per-paper children)."""
    return (
        "def process(client, invitation):\n"
        f"    meta_invitation = client.get_invitation({meta_invitation_id!r})\n"
        "    source = meta_invitation.content['invitation_edit_script']['value']\n"
        "    scope = {'openreview': openreview, 'datetime': datetime, 'date_index': date_index}\n"
        "    exec(source, scope)\n"
        "    scope['process'](client, invitation)\n"
    )


def fan_out_date_processes(meta_invitation_id: str) -> list[dict[str, Any]]:
    """``dateprocesses`` of a note super invitation: fan out at the children's cdate and after
    each modification."""
    return [{"dates": list(FAN_OUT_DATES), "script": invitation_edit_date_process(meta_invitation_id)}]


def parent_script_process(script_key: str, *, with_datetime: bool = False) -> str:
    """A per-paper child's process: run the ``script_key`` content of the super invitation that
    created the child (its ``invitations[0]``). ``with_datetime`` also hands the script the
    ``datetime`` module (the decision process needs it)."""
    names = "{'openreview': openreview, 'datetime': datetime}" if with_datetime else "{'openreview': openreview}"
    return (
        "def process(client, edit, invitation):\n"
        "    parent = client.get_invitation(invitation.invitations[0])\n"
        f"    source = parent.content[{script_key!r}]['value']\n"
        f"    scope = {names}\n"
        "    exec(source, scope)\n"
        "    scope['process'](client, edit, invitation)\n"
    )


def parent_script_preprocess_js(script_key: str) -> str:
    """A per-paper child's JavaScript preprocess: evaluate the ``script_key`` content of the super
    invitation that created the child and run it on the edit (the comment stage's check that
    mandatory readers are present)."""
    return (
        "async function process(client, edit, invitation) {\n"
        "  client.throwErrors = true;\n"
        "  const { invitations } = await client.getInvitations({ id: invitation.invitations[0] });\n"
        "  const parent = invitations[0];\n"
        f"  const source = parent.content.{script_key}.value;\n"
        "  eval(`var process = ${source}`);\n"
        "  await process(client, edit, invitation);\n"
        "}"
    )


# A group super invitation (``V/<Role>/-/Submission_Group``) and a date-driven plain invitation
# (``V/-/Post_Submission``) fire at their own cdate and after each change of them.
OWN_CDATE_DATES = ("#{4/cdate}", f"#{{4/mdate}} + {UPDATE_DELAY_MS}")


def group_edit_date_process(meta_invitation_id: str) -> str:
    """A group super invitation's date process: run the meta invitation's ``group_edit_script``
    (the fan-out that posts one per-paper group per submission)."""
    return (
        "def process(client, invitation):\n"
        f"    meta_invitation = client.get_invitation({meta_invitation_id!r})\n"
        "    source = meta_invitation.content['group_edit_script']['value']\n"
        "    scope = {'openreview': openreview, 'datetime': datetime, 'date_index': date_index}\n"
        "    exec(source, scope)\n"
        "    scope['process'](client, invitation)\n"
    )


def group_fan_out_date_processes(meta_invitation_id: str) -> list[dict[str, Any]]:
    """``dateprocesses`` of a group super invitation: fan out at its cdate and after each change."""
    return [{"dates": list(OWN_CDATE_DATES), "script": group_edit_date_process(meta_invitation_id)}]

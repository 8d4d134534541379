"""OpenReview's support setup: what OpenReview's own deployment holds before any venue exists.

On a new database with processes on, the sandbox runs, once, in a worker like any script, the code
openreview-py ships for it: ``openreview.workflows.templates.Templates(client, "openreview.net").setup()``
(the ``openreview.net/Template`` invitations) and ``openreview.workflows.Workflows(client,
"openreview.net").setup()`` (the venue request workflow: ``openreview.net/Support/Venue_Request/-/
Conference_Review_Workflow``, its deployment, comment and status invitations). Before them the script
creates what they post through and openreview-py does not create: the ``openreview.net/Template`` group
and the meta invitations ``openreview.net/Support/-/Edit`` and ``openreview.net/Template/-/Edit``, as
OpenReview's deployment has them. Nothing is copied: the objects are what that code posts.

While it runs, ``GET /_sandbox/health`` answers 503 ``starting``; a failure is logged under
``SETUP_LOG_ID`` and the sandbox serves anyway. It runs again after ``/_sandbox/reset``.
"""

from __future__ import annotations

SETUP_LOG_ID = "openreview.net/Support/-/Setup"
SETUP_SECONDS = 600.0

SCRIPT = '''
def process(client, invitation):
    import openreview
    from openreview.api import Group, Invitation
    from openreview.workflows.templates import Templates
    from openreview.workflows.workflows import Workflows

    root = ["~Super_User1"]
    client.post_group_edit(invitation="openreview.net/-/Edit", signatures=root, group=Group(
        id="openreview.net/Template", readers=["everyone"], writers=["openreview.net"], signatures=root,
        signatories=["openreview.net/Template"], members=["openreview.net/Support"]))
    for meta in ("openreview.net/Support/-/Edit", "openreview.net/Template/-/Edit"):
        client.post_invitation_edit(invitations=None, signatures=root, readers=["openreview.net"],
            writers=["openreview.net"], invitation=Invitation(id=meta, invitees=["openreview.net"],
            readers=["openreview.net"], writers=["openreview.net"], signatures=root, edit=True))
    Templates(client, "openreview.net").setup()
    print("openreview.workflows.templates.Templates: set up")
    Workflows(client, "openreview.net").setup()
    print("openreview.workflows.Workflows: set up")
'''

"""Groups through openreview-py: group edits, membership, queries, anonymous groups, reading rules."""

from __future__ import annotations

import openreview
import pytest
import requests
from openreview.api import Group, Invitation

from tests.sandbox.scenario import VENUE, build_workshop, meta_edit


@pytest.fixture
def workshop(root, make_user):
    pc = make_user("pc@drw.example", "Pat Chair")
    return build_workshop(root, pc, "pc@drw.example")


def test_domains_follow_the_venue(root, workshop):
    assert root.get_group(VENUE).domain == VENUE
    assert root.get_group(workshop.pcs).domain == VENUE
    assert root.get_group("DRW.cc").domain == "openreview.net"
    assert root.get_group("venues").domain == "openreview.net"
    assert root.get_invitation(f"{VENUE}/-/Submission").domain == VENUE


def test_venue_members_act_for_the_venue(workshop):
    pc = workshop.pc
    assert pc.get_group(VENUE).members == [workshop.pcs]
    groups = {g.id for g in pc.get_groups(member="pc@drw.example")}
    assert {VENUE, workshop.pcs, "~Pat_Chair1"} <= groups
    assert pc.get_groups(id=VENUE, member="pc@drw.example")[0].id == VENUE
    assert pc.get_groups(id=f"{VENUE}/Reviewers", member="pc@drw.example") == []


def test_member_changes_add_remove_and_combined(root, workshop, make_user):
    group_id = f"{VENUE}/Reviewers"
    root.add_members_to_group(group_id, ["~A1", "~B1"])
    assert sorted(root.get_group(group_id).members) == ["~A1", "~B1"]
    root.post_group_edit(invitation=f"{VENUE}/-/Edit", signatures=[VENUE], readers=[VENUE], writers=[VENUE],
                         group=Group(id=group_id, members={"remove": ["~A1"], "add": ["~C1"]}))
    assert root.get_group(group_id).members == ["~B1", "~C1"]
    root.post_group_edit(invitation=f"{VENUE}/-/Edit", signatures=[VENUE], readers=[VENUE], writers=[VENUE],
                         group=Group(id=group_id, members={"append": ["~D1", "~B1"]}))
    assert root.get_group(group_id).members == ["~B1", "~C1", "~D1"]
    root.remove_members_from_group(group_id, ["~B1", "~C1", "~D1"])
    assert root.get_group(group_id).members == []


def test_group_invitation_pins_the_id(workshop):
    pc = workshop.pc
    pc.post_invitation_edit(
        invitations=f"{VENUE}/-/Edit", readers=[VENUE], writers=[VENUE], signatures=[VENUE],
        invitation=Invitation(
            id=f"{workshop.pcs}/-/Members", invitees=[VENUE], readers=[VENUE], writers=[VENUE], signatures=[VENUE],
            edit={"signatures": [VENUE], "readers": [VENUE], "writers": [VENUE],
                  "group": {"id": workshop.pcs, "members": {"param": {"regex": r".+@.+|~.*", "change": "append"}}}}))
    pc.post_group_edit(invitation=f"{workshop.pcs}/-/Members", group=Group(members={"append": ["pc2@drw.example"]}))
    assert pc.get_group(workshop.pcs).members == ["pc@drw.example", "pc2@drw.example"]
    with pytest.raises(openreview.OpenReviewException) as error:
        pc.post_group_edit(invitation=f"{workshop.pcs}/-/Members", group=Group(members={"remove": ["pc@drw.example"]}))
    assert error.value.args[0]["name"] == "ValidationError"


def test_get_groups_queries(root, workshop):
    for name in ("Area_Chairs", "Senior_Area_Chairs", "Ethics_Chairs"):
        meta_edit(root, VENUE, Group(id=f"{VENUE}/{name}", readers=[VENUE], writers=[VENUE], signatures=[VENUE],
                                     signatories=[VENUE], members=[f"{name.lower()}@drw.example"]))
    chairs = root.get_groups(prefix=f"{VENUE}/.*_Chairs")
    assert [g.id for g in chairs] == [f"{VENUE}/Area_Chairs", f"{VENUE}/Ethics_Chairs", f"{VENUE}/Program_Chairs",
                                      f"{VENUE}/Senior_Area_Chairs"]
    assert [g.id for g in root.get_groups(members="area_chairs@drw.example")] == [f"{VENUE}/Area_Chairs"]
    groups, count = root.get_groups(prefix=f"{VENUE}/", with_count=True, limit=2)
    assert len(groups) == 2 and count == 6
    after = root.get_groups(prefix=f"{VENUE}/", sort="id", after=groups[-1].id)
    assert [g.id for g in after] == sorted(g.id for g in after) and groups[-1].id < after[0].id
    offset = root.get_groups(prefix=f"{VENUE}/", offset=5)
    assert len(offset) == 1
    assert len(root.get_all_groups(domain=VENUE)) == 7
    selected = requests.get(f"{root.baseurl}/groups", params={"id": VENUE, "select": "id,members"},
                            headers=root.headers, timeout=10).json()["groups"][0]
    assert selected == {"id": VENUE, "members": [workshop.pcs]}


def test_missing_and_unreadable_groups(guest, root, workshop, make_user):
    with pytest.raises(openreview.OpenReviewException) as missing:
        root.get_group(f"{VENUE}/Nope")
    assert missing.value.args[0]["name"] == "NotFoundError"
    assert missing.value.args[0]["message"] == f"Group Not Found: {VENUE}/Nope"
    assert openreview.tools.get_group(root, f"{VENUE}/Nope") is None
    with pytest.raises(openreview.OpenReviewException) as denied:
        guest.get_group("~Super_User1")
    assert denied.value.args[0]["name"] == "ForbiddenError"
    outsider = make_user("out@example.org", "Out Sider")
    with pytest.raises(openreview.OpenReviewException, match=r"User Out Sider is not reader of"):
        outsider.get_group(workshop.pcs)
    visible = {g.id for g in outsider.get_groups(prefix=f"{VENUE}")}
    assert visible == {VENUE}


def test_writers_can_read_a_group(root, workshop, make_user):
    make_user("w@drw.example", "Wri Ter")
    meta_edit(root, VENUE, Group(id=f"{VENUE}/Hidden", readers=[VENUE], writers=[VENUE, "~Wri_Ter1"],
                                 signatures=[VENUE], signatories=[VENUE]))
    writer = openreview.api.OpenReviewClient(baseurl=root.baseurl, username="w@drw.example",
                                             password="Or$3cur3P@ssw0rd")
    assert writer.get_group(f"{VENUE}/Hidden").id == f"{VENUE}/Hidden"


def test_anonymous_groups(root, workshop, make_user):
    for email, name in (("r1@x.org", "Rev One"), ("r2@x.org", "Rev Two")):
        make_user(email, name)
    paper_reviewers = f"{VENUE}/Submission1/Reviewers"
    meta_edit(root, VENUE, Group(id=paper_reviewers, readers=[VENUE, paper_reviewers], writers=[VENUE],
                                 signatures=[VENUE], signatories=[VENUE], deanonymizers=[VENUE], anonids=True,
                                 members=["~Rev_One1"]))
    root.add_members_to_group(paper_reviewers, "~Rev_Two1")
    group = root.get_group(paper_reviewers)
    assert group.members == ["~Rev_One1", "~Rev_Two1"]
    assert len(group.anon_members) == 2
    raw = requests.get(f"{root.baseurl}/groups", params={"id": paper_reviewers}, headers=root.headers,
                       timeout=10).json()["groups"][0]
    assert raw["members"] == group.anon_members
    anon = root.get_group(group.anon_ids_by_member["~Rev_One1"])
    assert anon.id.startswith(f"{VENUE}/Submission1/Reviewer_") and len(anon.id.rsplit("_", 1)[1]) == 4
    assert anon.members == ["~Rev_One1"]
    assert anon.readers == [VENUE, anon.id]
    rev1 = openreview.api.OpenReviewClient(baseurl=root.baseurl, username="r1@x.org", password="Or$3cur3P@ssw0rd")
    mine = rev1.get_groups(prefix=f"{VENUE}/Submission1/Reviewer_", signatory="~Rev_One1")
    assert [g.id for g in mine] == [anon.id]
    with pytest.raises(openreview.OpenReviewException):
        rev1.get_group(group.anon_ids_by_member["~Rev_Two1"])
    # Re-adding a member reuses its anonymous group; removing by real id works (client maps it).
    root.add_members_to_group(paper_reviewers, "~Rev_One1")
    assert root.get_group(paper_reviewers).anon_ids_by_member["~Rev_One1"] == anon.id
    root.remove_members_from_group(paper_reviewers, "~Rev_Two1")
    assert root.get_group(paper_reviewers).members == ["~Rev_One1"]
    # Changing who may deanonymize changes the anonymous groups' readers.
    meta_edit(root, VENUE, Group(id=paper_reviewers, deanonymizers=[VENUE, f"{VENUE}/Area_Chairs"]))
    assert root.get_group(anon.id).readers == [VENUE, f"{VENUE}/Area_Chairs", anon.id]


def test_soft_delete_restore_and_edits(root, workshop):
    group_id = f"{VENUE}/Temporary"
    meta_edit(root, VENUE, Group(id=group_id, readers=[VENUE], writers=[VENUE], signatures=[VENUE],
                                 signatories=[VENUE]))
    meta_edit(root, VENUE, Group(id=group_id, ddate=1))
    assert openreview.tools.get_group(root, group_id) is None
    trashed = requests.get(f"{root.baseurl}/groups", params={"prefix": group_id, "trash": "true"},
                           headers=root.headers, timeout=10).json()["groups"]
    assert [g["id"] for g in trashed] == [group_id]
    meta_edit(root, VENUE, Group(id=group_id, ddate={"delete": True}))
    assert root.get_group(group_id).ddate is None
    edits = root.get_group_edits(group_id=group_id)
    assert len(edits) == 3
    assert edits[0].tcdate >= edits[-1].tcdate
    assert edits[-1].group.readers == [VENUE]


def test_hard_delete(root, workshop):
    group_id = f"{VENUE}/Gone"
    meta_edit(root, VENUE, Group(id=group_id, readers=[VENUE], writers=[VENUE], signatures=[VENUE],
                                 signatories=[VENUE]))
    root.delete_group(group_id)
    with pytest.raises(openreview.OpenReviewException, match=f"Group Not Found: {group_id}"):
        root.get_group(group_id)
    assert root.get_group_edits(group_id=group_id) == []


def test_meta_invitation_is_limited_to_its_domain(root, workshop, make_user):
    other = "Other.cc/2026/Conference"
    build_workshop(root, make_user("opc@other.example", "Other Chair"), "opc@other.example", venue=other)
    with pytest.raises(openreview.OpenReviewException) as error:
        workshop.pc.post_group_edit(invitation=f"{VENUE}/-/Edit", signatures=[VENUE], readers=[VENUE],
                                    writers=[VENUE], group=Group(id=f"{other}/Program_Chairs", members=["x@y.z"]))
    assert error.value.args[0]["name"] == "ForbiddenError"
    with pytest.raises(openreview.OpenReviewException) as not_invitee:
        workshop.pc.post_group_edit(invitation=f"{other}/-/Edit", signatures=[VENUE], readers=[VENUE],
                                    writers=[VENUE], group=Group(id=f"{other}/Program_Chairs", members=["x@y.z"]))
    assert not_invitee.value.args[0]["name"] in ("ForbiddenError", "NotInviteeError")


def test_membership_cycles_terminate_and_grant_membership(root, workshop, make_user):
    make_user("cy@x.org", "Cy Cle")
    a, b = f"{VENUE}/Cycle_A", f"{VENUE}/Cycle_B"
    meta_edit(root, VENUE, Group(id=a, readers=[VENUE, a], writers=[VENUE], signatures=[VENUE], signatories=[a],
                                 members=[b]))
    meta_edit(root, VENUE, Group(id=b, readers=[VENUE, b], writers=[VENUE], signatures=[VENUE], signatories=[b],
                                 members=[a, "cy@x.org"]))
    member = openreview.api.OpenReviewClient(baseurl=root.baseurl, username="cy@x.org", password="Or$3cur3P@ssw0rd")
    assert member.get_group(a).members == [b]
    assert {g.id for g in root.get_groups(member="~Cy_Cle1")} >= {a, b}
    assert {g.id for g in member.get_groups(prefix=f"{VENUE}/Cycle_", signatory="~Cy_Cle1")} == {a, b}

"""The e-mails a plan says its changed invitations' scripts send: read statically from the scripts
(``venueops.plan.emails``), on small scripts and on the compiled conference example."""

from __future__ import annotations

from pathlib import Path

import pytest

from venueops.compile.compile import compile_venue
from venueops.config.validate import load_venue
from venueops.openreview import files as openreview_files
from venueops.plan.effects import effect_lines, side_effects
from venueops.plan.emails import Email, UnreadableScript, invitation_emails, script_emails
from venueops.plan.model import Action, Change

ROOT = Path(__file__).resolve().parents[2]

REVIEW = '''
def process(client, edit, invitation):
    domain = client.get_group(edit.domain)
    short_name = domain.get_content_value('subtitle')
    submission_name = domain.get_content_value('submission_name')
    authors_name = domain.content['authors_name']['value']
    program_chairs_id = domain.content['program_chairs_id']['value']
    parent = client.get_invitation(invitation.invitations[0])
    email_pcs = parent.get_content_value('email_program_chairs') or 'program_chairs' in parent.content
    submission = client.get_note(edit.note.forum)
    review = client.get_note(edit.note.id)
    paper_authors_id = f'{domain.id}/{submission_name}{submission.number}/{authors_name}'
    if email_pcs:
        client.post_message(subject=f'[{short_name}] A review of paper {submission.number}',
                            recipients=[program_chairs_id], message='...')
    client.post_message(f'[{short_name}] Your review was received', review.signatures, 'Thanks')
    if parent.get_content_value('email_authors') and 'everyone' in review.readers:
        client.post_message(f'[{short_name}] A review has been received on your submission',
                            [paper_authors_id], 'Hello')
    else:
        post_message('No review e-mail', [edit.tauthor], 'x')
'''


def test_subjects_recipients_and_flags_are_read_from_the_script() -> None:
    assert script_emails(REVIEW) == [
        Email("[{short_name}] A review of paper {submission.number}", "the program chairs", "email_program_chairs"),
        Email("[{short_name}] Your review was received", "the signer", None),
        Email("[{short_name}] A review has been received on your submission", "the paper's authors", "email_authors"),
        Email("No review e-mail", "the person who posted it", "not email_authors"),
    ]


def test_subject_variables_alternatives_and_unknown_recipients() -> None:
    script = '''
def process(client, edit, invitation):
    title = edit.note.content['title']['value']
    subject = f'Received: {title.upper()}' if title else 'Received'
    people = [g for g in client.get_group('X').members if g]
    if len(people) > 2:
        client.post_message(subject, people + [edit.note.content['authorids']['value']], 'body')
    openreview.tools.recruit_user(client, 'a@b.example', 'seed', 'Join us', 'text', 'I', 'C', 'c@x', 'M', 'S')
'''
    assert script_emails(script) == [
        Email("Received: {title.upper()} | Received", "people and the authors",
              "len(people) > 2"),
        Email("Join us", "a@b.example", None),
    ]


def test_a_script_that_sends_nothing_or_cannot_be_parsed() -> None:
    assert script_emails("def process(client, edit, invitation):\n    print('hello')\n") == []
    with pytest.raises(UnreadableScript, match="not valid Python"):
        script_emails("def process(client:\n")
    with pytest.raises(UnreadableScript, match="JavaScript"):
        script_emails("// a preprocess\nasync function process(client, edit, invitation) {}\n")
    body = {"edit": {"invitation": {"process": "def process(:"}},
            "content": {"a_script": {"value": REVIEW}, "b_script": {"value": "function process() {}"}}}
    found = invitation_emails(body, lambda value: value)
    assert found[0] == {"script": "edit.invitation.process", "unreadable": "not valid Python"}
    assert found[-1] == {"script": "b_script", "unreadable": "JavaScript"}
    assert [e["script"] for e in found[1:-1]] == ["a_script"] * 4 and all(e["estimated"] for e in found[1:-1])
    assert effect_lines([{"id": "V/-/X", "emails": found}])[1:3] == [
        "  invitation V/-/X: e-mails from its scripts",
        "      edit.invitation.process could not be read (not valid Python): its e-mails, if any, are not shown"]


def test_the_compiled_review_invitation_names_the_review_e_mails(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    desired = compile_venue(load_venue("examples/venues/conference.yaml"))
    review = "ICDR.cc/2027/Conference/-/Official_Review"
    changes = (Change(kind="invitation", id=review, action=Action.UPDATE, reason="due date moved",
                      version=1),)
    (effect,) = side_effects(changes, desired, 2, resolve=openreview_files.resolve)
    emails = effect["emails"]
    assert {e["script"] for e in emails} == {"review_process_script"}  # the child's process runs it
    authors = {"script": "review_process_script",
               "subject": "[{short_name}] {capital_review_name} posted to your submission - Paper number: "
                          "{submission.number}, Paper title: \"{submission.content['title']['value']}\"",
               "to": "the paper's authors", "when": "email_authors", "estimated": True}
    assert authors in emails
    assert [(e["to"], e["when"]) for e in emails] == [
        ("the program chairs", "email_program_chairs"), ("the signer", None),
        ("the paper's area chairs", "email_area_chairs"), ("the paper's reviewers", "email_reviewers"),
        ("the paper's reviewers who submitted", "email_reviewers"), ("the paper's authors", "email_authors")]
    text = "\n".join(effect_lines([effect]))
    assert ("      review_process_script e-mails \"[{short_name}] {capital_review_name} posted to your submission - "
            "Paper number: {submission.number}, Paper title: \"{submission.content['title']['value']}\"\" to the "
            "paper's authors, if email_authors (estimated from the script)") in text
    assert side_effects(changes, desired, 2) == [effect]  # deterministic, openreview-py's scripts by default

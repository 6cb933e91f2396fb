"""The one mail path: rendered in the recipient's language, plain text unescaped, on its own
queue so that it never waits behind matching."""

import re
from pathlib import Path

import pytest
from django.core import mail
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult
from factories import make_organisation, make_user

from matchwerk.core.mail import mail_render, mail_send
from matchwerk.matching import services as matching_services
from matchwerk.matching.models import Suggestion
from matchwerk.matching.tasks import recompute_suggestions

SRC = Path(__file__).resolve().parents[2] / "src" / "matchwerk"
pytestmark = pytest.mark.django_db


def test_plain_text_mail_is_not_html_escaped_and_in_the_recipients_language():
    subject, body, html = mail_render(template="matching/mail/match_proposed", language="en", context={
        "name": "Uwe <Test>", "organisation": "E-Commerce & Vertrieb", "partner": "Müller & Söhne \"Holz\"",
        "reasons": ["Bedarf & Angebot"], "url": "https://example.org/?a=1&b=2"})
    assert "E-Commerce & Vertrieb" in body and "&amp;" not in body and "&quot;" not in body
    assert "Uwe <Test>" in body and "https://example.org/?a=1&b=2" in body
    assert subject == 'Matchwerk: suggestion for a collaboration with Müller & Söhne "Holz"'
    assert html is None
    german_subject, _, _ = mail_render(template="matching/mail/match_proposed", language="de",
                                       context={"partner": "A & B"})
    assert german_subject == "Matchwerk: Vorschlag für eine Zusammenarbeit mit A & B"


def test_signup_mails_go_out_in_the_chosen_language(client):
    from matchwerk.accounts.services import user_signup

    user_signup(email="eva@example.org", password="Sicheres-Passwort-2026", full_name="Eva&Co Müller", language="en")
    [message] = mail.outbox
    assert message.to == ["eva@example.org"] and "Please confirm" in message.subject
    assert message.body.startswith("Hello Eva&Co,")


def _database_queue(settings):
    settings.TASKS = {"default": {**settings.TASKS["default"], "BACKEND": "django_tasks_db.backend.DatabaseBackend"}}


def test_mail_is_sent_while_a_recompute_is_running_and_another_is_pending(settings, run_worker):
    _database_queue(settings)
    running = recompute_suggestions.enqueue()
    DBTaskResult.objects.filter(pk=running.id).first().claim("busy-matching-worker")
    pending = recompute_suggestions.enqueue()
    user = make_user(language="en")
    mail_send(to=user.email, template="accounts/mail/signup_attempt", language=user.language,
              context={"name": user.full_name})
    assert mail.outbox == []  # queued, not sent in the request
    # The mail worker (``matchwerk worker`` runs one per queue) takes only mails.
    run_worker(["mail"], worker_id="mail-worker")
    assert [m.to for m in mail.outbox] == [[user.email]]
    assert DBTaskResult.objects.get(pk=running.id).status == TaskResultStatus.RUNNING
    assert DBTaskResult.objects.get(pk=pending.id).status == TaskResultStatus.READY


def test_a_worker_on_every_queue_takes_the_mail_before_an_older_recompute(settings, run_worker):
    _database_queue(settings)
    recompute = recompute_suggestions.enqueue()
    mail_send(to="a@example.org", template="accounts/mail/signup_attempt", context={"name": "A"})
    run_worker(["*"], max_tasks=1, worker_id="single-worker")
    assert len(mail.outbox) == 1
    assert DBTaskResult.objects.get(pk=recompute.id).status == TaskResultStatus.READY


def test_match_proposal_mails_every_editor_once_with_partner_name_unescaped(settings):
    owner_a, owner_b = make_user(language="en"), make_user()
    a = make_organisation(owner=owner_a, kind="sme", name="E-Commerce & Vertrieb")
    b = make_organisation(owner=owner_b, kind="startup", name="Buchbar Digital")
    team = make_user(role="matching_team")
    programme = matching_services.programme_default()
    programme.team.add(team)  # the programme's team decides
    suggestion = Suggestion.objects.create(programme=programme, organisation=a, partner=b, score=0.5, rank=1,
                                           reasons=["Passt"])
    matching_services.suggestion_accept(user=team, suggestion=suggestion)
    by_recipient = {m.to[0]: m for m in mail.outbox}
    assert set(by_recipient) == {owner_a.email, owner_b.email}
    assert "E-Commerce & Vertrieb" in by_recipient[owner_b.email].body
    assert by_recipient[owner_a.email].subject.startswith("Matchwerk: suggestion")  # English reader
    assert by_recipient[owner_b.email].subject.startswith("Matchwerk: Vorschlag")


def test_no_mail_leaves_except_through_the_mail_task():
    """Mail goes out one way: matchwerk.core.mail (rendered and sent by the ``send_mail`` task)."""
    offenders = []
    for path in SRC.rglob("*.py"):
        if path.parent.name == "core" and path.name in {"mail.py", "tasks.py"}:
            continue
        text = path.read_text(encoding="utf-8")
        if re.search(r"(?<!def )\bsend_mail\(|EmailMessage|EmailMultiAlternatives|send_mass_mail|mail_admins", text):
            offenders.append(str(path.relative_to(SRC)))
    assert offenders == []

"""Participation writes: contributions from the page (moderated after, or before, with
abuse held), comments of the linked publications collected once, moderation with a
public reason, one vote per participant and statement, e-mail verification links."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from parvis.accounts.tests.test_tenancy import publication_of
from parvis.inbox.services import message_receive
from parvis.participation.models import Consultation, Contribution, Vote
from parvis.participation.services import (
    consultation_save,
    contribution_moderate,
    contribution_submit,
    contributions_collect,
    contributions_collect_all,
    email_link_token,
    participant_email_verify,
    participant_for,
    statement_add,
    vote_cast,
)
from parvis.system.models import AuditEvent

pytestmark = pytest.mark.django_db

IDEA = "Des pistes cyclables séparées de la route sur la chaussée du Sillon."


@pytest.fixture
def consultation(commune, admin_user):
    now = timezone.now()
    return consultation_save(
        authority=commune,
        actor=admin_user,
        values={
            "title": "Le vélo à Saint-Malo",
            "slug": "velo",
            "question": "Comment rendre le vélo plus facile et plus sûr ?",
            "topic": "transports",
            "starts_at": now - dt.timedelta(days=1),
            "ends_at": now + dt.timedelta(days=30),
            "published": True,
            "votes_open": True,
        },
    )


@pytest.fixture
def participant(consultation):
    return participant_for(consultation=consultation, token="jeton-1", pseudonym="Yann")


def test_a_contribution_is_published_at_once_and_abuse_waits(consultation, participant):
    idea = contribution_submit(
        consultation=consultation, participant=participant, text=IDEA
    )
    assert idea.status == "accepted" and idea.pseudonym == "Yann" and not idea.abuse
    insult = contribution_submit(
        consultation=consultation,
        participant=participant,
        text="Bande de connards d'incapables, vous êtes tous des pourris",
    )
    assert insult.abuse and insult.status == "pending"


def test_a_consultation_moderated_first_holds_every_contribution(
    consultation, participant
):
    consultation.moderation = Consultation.Moderation.BEFORE
    consultation.save()
    idea = contribution_submit(
        consultation=consultation, participant=participant, text=IDEA
    )
    assert idea.status == "pending"


@pytest.mark.parametrize(
    ("text", "words"),
    [("Vélo", "trop courte"), ("x" * 2001, "dépasse 2000")],
)
def test_a_contribution_too_short_or_too_long_is_refused_in_french(
    consultation, participant, text, words
):
    with pytest.raises(ValidationError, match=words):
        contribution_submit(
            consultation=consultation, participant=participant, text=text
        )


def test_a_closed_consultation_or_an_anonymous_participant_cannot_contribute(
    consultation, participant
):
    nameless = participant_for(consultation=consultation, token="jeton-2")
    with pytest.raises(ValidationError, match="pseudonyme"):
        contribution_submit(consultation=consultation, participant=nameless, text=IDEA)
    consultation.ends_at = timezone.now() - dt.timedelta(minutes=1)
    consultation.starts_at = consultation.ends_at - dt.timedelta(days=2)
    consultation.save()
    with pytest.raises(ValidationError, match="n'accepte pas"):
        contribution_submit(
            consultation=consultation, participant=participant, text=IDEA
        )


def test_the_same_browser_is_the_same_participant_and_the_token_is_not_stored(
    consultation,
):
    first = participant_for(consultation=consultation, token="jeton-3")
    again = participant_for(consultation=consultation, token="jeton-3", pseudonym="Lou")
    assert first.pk == again.pk and again.pseudonym == "Lou"
    assert "jeton-3" not in again.token_hash


def test_comments_under_the_linked_publications_are_collected_once(
    consultation, commune, admin_user
):
    publication = publication_of(commune, admin_user)
    other = publication_of(commune, admin_user)
    consultation.publications.add(publication)
    for target, text in [
        (publication, "Il faudrait des arceaux vélo devant chaque école."),
        (other, "Quand rouvre la piscine ?"),
    ]:
        message_receive(
            authority=commune,
            origin="mastodon",
            kind="comment",
            text=text,
            publication=target,
            author_name="Morgane",
        )
    assert contributions_collect(consultation=consultation) == 1
    assert contributions_collect(consultation=consultation) == 0
    assert contributions_collect_all() == 0
    [collected] = Contribution.objects.all()
    assert collected.origin == "mastodon" and collected.pseudonym == "Morgane"
    assert collected.status == "accepted" and "arceaux" in collected.text


def test_hiding_needs_a_public_reason_and_is_recorded(
    consultation, participant, admin_user
):
    idea = contribution_submit(
        consultation=consultation, participant=participant, text=IDEA
    )
    with pytest.raises(ValidationError, match="motif"):
        contribution_moderate(contribution=idea, actor=admin_user, accept=False)
    contribution_moderate(
        contribution=idea, actor=admin_user, accept=False, reason="Hors sujet"
    )
    idea.refresh_from_db()
    assert idea.status == "hidden" and idea.hidden_reason == "Hors sujet"
    assert AuditEvent.objects.filter(action="participation.contribution_hidden")


def test_one_participant_has_one_vote_per_statement_and_may_change_it(
    consultation, participant, admin_user
):
    idea = contribution_submit(
        consultation=consultation, participant=participant, text=IDEA
    )
    statement = statement_add(
        consultation=consultation,
        actor=admin_user,
        text="Séparer les pistes cyclables de la route",
        source=idea,
    )
    vote_cast(statement=statement, participant=participant, value=1)
    vote_cast(statement=statement, participant=participant, value=-1)
    assert list(Vote.objects.values_list("value", flat=True)) == [-1]
    with pytest.raises(ValidationError):
        vote_cast(statement=statement, participant=participant, value=2)
    consultation.votes_open = False
    consultation.save()
    with pytest.raises(ValidationError, match="pas ouvert"):
        vote_cast(statement=statement, participant=participant, value=1)


def test_a_participant_of_another_consultation_cannot_vote_here(
    consultation, participant, commune, admin_user
):
    other = consultation_save(
        authority=commune,
        actor=admin_user,
        values={
            "title": "Budget participatif",
            "slug": "budget",
            "question": "Quels projets financer ?",
            "starts_at": consultation.starts_at,
            "ends_at": consultation.ends_at,
            "published": True,
            "votes_open": True,
        },
    )
    statement = statement_add(consultation=other, actor=admin_user, text="Un skatepark")
    with pytest.raises(ValidationError):
        vote_cast(statement=statement, participant=participant, value=1)


def test_an_email_is_verified_by_its_signed_link_only(participant):
    token = email_link_token(participant, "Yann@Example.org")
    verified = participant_email_verify(token=token)
    assert verified.email == "yann@example.org" and verified.email_verified_at
    with pytest.raises(ValidationError, match="pas valide"):
        participant_email_verify(token=token + "x")


def test_a_consultation_must_close_after_it_opens(commune, admin_user):
    now = timezone.now()
    with pytest.raises(ValidationError, match="clôture"):
        consultation_save(
            authority=commune,
            actor=admin_user,
            values={
                "title": "T",
                "slug": "t",
                "question": "Q ?",
                "starts_at": now,
                "ends_at": now,
            },
        )

"""The reply panel of a message, approvals, hiding, and the saved replies' pages;
every route answers 404 to a member of another authority."""

import datetime as dt

import pytest
from django.urls import reverse

from conftest import make_user
from parvis.accounts.roles import Role
from parvis.accounts.services import membership_set
from parvis.inbox.models import Message, Reply, SavedReply
from parvis.inbox.tests.listening import *  # noqa: F403
from parvis.territory.models import Service

pytestmark = pytest.mark.django_db


@pytest.fixture
def question(channel):
    return Message.objects.create(
        authority=channel.authority,
        origin="mastodon",
        kind="comment",
        channel=channel,
        remote_id="c1",
        author_name="Morgane Kerleau",
        author_handle="@morgane@piaille.fr",
        text="Les bus de la ligne 3 passent-ils toujours rue de Dinan ?",
        received_at=dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC),
        level="commune",
        topic="transports",
        intent="question",
    )


@pytest.fixture
def saved(commune):
    return SavedReply.objects.create(
        authority=commune,
        title="Bus maintenus",
        text="Bonjour {auteur}, les bus circulent normalement. — {collectivite}",
        topic="transports",
    )


@pytest.fixture
def waiting(question, editor):
    return Reply.objects.create(
        message=question, text="Non.", via="mastodon", state="awaiting", author=editor
    )


def url(name, commune, *args):
    return reverse(f"replies:{name}", args=[commune.slug, *args])


def test_the_message_page_loads_the_reply_panel(client_of, editor, question, network):
    page = client_of(editor).get(
        reverse("inbox:detail", args=[question.authority.slug, question.pk])
    )
    text = page.content.decode()
    assert url("form", question.authority, question.pk) in text  # htmx
    assert url("message", question.authority, question.pk) in text  # without JS


def test_the_panel_offers_saved_replies_and_fills_their_variables(
    client_of, editor, question, saved, network
):
    client = client_of(editor)
    panel = client.get(url("form", question.authority, question.pk))
    assert panel.status_code == 200
    assert "Bus maintenus" in panel.content.decode()
    assert "sur Mastodon, au nom de @ville@social.example" in panel.content.decode()

    filled = client.get(
        url("form", question.authority, question.pk), {"reponse_type": saved.pk}
    )
    text = filled.content.decode()
    assert (
        "Bonjour Morgane Kerleau, les bus circulent normalement. — Saint-Malo" in text
    )
    assert f'name="saved_reply" value="{saved.pk}"' in text


def test_the_count_follows_the_network(client_of, editor, question, network):
    answer = client_of(editor).post(
        url("count", question.authority, question.pk), {"text": "é" * 12}
    )
    assert "12 caractères sur 500" in answer.content.decode()


def test_sending_a_reply_queues_it_and_goes_back_to_the_message(
    client_of, editor, question, network
):
    answer = client_of(editor).post(
        url("create", question.authority, question.pk),
        {"text": "Oui, la ligne 3 est maintenue."},
    )
    detail = reverse("inbox:detail", args=[question.authority.slug, question.pk])
    assert answer.status_code == 302 and answer["Location"] == f"{detail}#reponses"
    reply = Reply.objects.get()
    assert (reply.state, reply.author, reply.text) == (
        "queued",
        editor,
        "Oui, la ligne 3 est maintenue.",
    )


def test_a_reply_too_long_is_shown_again_with_the_reason(
    client_of, editor, question, network
):
    answer = client_of(editor).post(
        url("create", question.authority, question.pk), {"text": "a" * 600}
    )
    assert answer.status_code == 400
    assert "au-delà de la limite de 500" in answer.content.decode()
    assert not Reply.objects.exists()


def test_a_validator_approves_or_rejects_a_waiting_reply(
    client_of, validator, waiting, network
):
    client = client_of(validator)
    page = client.get(url("message", waiting.message.authority, waiting.message.pk))
    assert (
        url("approve", waiting.message.authority, waiting.pk) in page.content.decode()
    )

    client.post(
        url("reject", waiting.message.authority, waiting.pk), {"reason": "Non."}
    )
    waiting.refresh_from_db()
    assert waiting.state == "rejected"


def test_an_editor_cannot_approve(client_of, editor, waiting):
    answer = client_of(editor).post(
        url("approve", waiting.message.authority, waiting.pk)
    )
    assert answer.status_code == 404
    waiting.refresh_from_db()
    assert waiting.state == "awaiting"


def test_an_agent_answers_only_the_messages_of_their_service(
    client_of, commune, admin_user, question, network
):
    agent = make_user("agent@saint-malo.example")
    membership_set(authority=commune, user=agent, role=Role.AGENT, actor=admin_user)
    roads = Service.objects.create(authority=commune, name="Routes", topics=["voirie"])
    roads.members.add(agent)
    client = client_of(agent)
    assert client.get(url("form", commune, question.pk)).status_code == 404
    Message.objects.filter(pk=question.pk).update(service=roads)
    assert client.get(url("form", commune, question.pk)).status_code == 200


def test_saved_replies_are_kept_by_the_team(client_of, editor, commune):
    client = client_of(editor)
    refused = client.post(
        url("saved_add", commune), {"title": "Accueil", "text": "Bonjour {prenom}"}
    )
    assert refused.status_code == 200 and "{prenom}" in refused.content.decode()
    client.post(
        url("saved_add", commune),
        {"title": "Accueil", "text": "Bonjour {auteur}", "needs_approval": "on"},
    )
    saved = SavedReply.objects.get()
    assert (saved.authority, saved.needs_approval) == (commune, True)
    assert "Accueil" in client.get(url("saved_list", commune)).content.decode()
    client.post(
        url("saved_edit", commune, saved.pk), {"title": "Bienvenue", "text": "Bonjour"}
    )
    saved.refresh_from_db()
    assert saved.title == "Bienvenue"
    client.post(url("saved_delete", commune, saved.pk))
    assert not SavedReply.objects.exists()


def routes(commune, message, reply, saved):
    return [
        ("get", url("message", commune, message.pk)),
        ("get", url("form", commune, message.pk)),
        ("post", url("count", commune, message.pk)),
        ("post", url("create", commune, message.pk)),
        ("post", url("hide", commune, message.pk)),
        ("post", url("approve", commune, reply.pk)),
        ("post", url("reject", commune, reply.pk)),
        ("post", url("retry", commune, reply.pk)),
        ("get", url("saved_list", commune)),
        ("get", url("saved_add", commune)),
        ("get", url("saved_edit", commune, saved.pk)),
        ("post", url("saved_delete", commune, saved.pk)),
    ]


def test_a_member_of_another_authority_gets_404_everywhere(
    client_of, outsider, commune, question, waiting, saved, network
):
    client = client_of(outsider)
    for method, address in routes(commune, question, waiting, saved):
        answer = getattr(client, method)(address, {"text": "x", "reason": "x"})
        assert answer.status_code == 404, address
    waiting.refresh_from_db()
    assert waiting.state == "awaiting"
    assert SavedReply.objects.filter(pk=saved.pk).exists()


def test_ids_of_another_authority_are_404_even_for_its_own_members(
    client_of, admin_user, commune, other_authority, question, waiting, saved
):
    # The commune's objects reached through the other authority's address.
    lyon_admin = other_authority.memberships.get().user
    client = client_of(lyon_admin)
    own_pages = {url("saved_list", other_authority), url("saved_add", other_authority)}
    for method, address in routes(other_authority, question, waiting, saved):
        if address in own_pages:  # Lyon's own saved replies: no id of Saint-Malo
            continue
        answer = getattr(client, method)(address, {"text": "x", "reason": "x"})
        assert answer.status_code == 404, address

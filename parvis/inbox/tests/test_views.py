"""The inbox screens: outsiders and out-of-scope agents get 404 everywhere, elected
members only read, personal data stays masked, citizens' words are escaped, the list
costs a fixed number of queries, and each handling form does its one thing."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from parvis.inbox.models import InboxSettings, Message, Note, Status
from parvis.inbox.tests.inbox_cast import *  # noqa: F403 (the fixtures)
from parvis.inbox.tests.inbox_cast import MessageFactory
from parvis.system.models import AuditEvent

pytestmark = pytest.mark.django_db

PHONE = "06 12 34 56 78"
EMAIL = "camille.durand@example.org"


def url(name, authority, *args):
    return reverse(f"inbox:{name}", args=[authority.slug, *args])


def message_routes(authority, message):
    """Every route of one message: (method, url, data)."""
    return [
        ("get", url("detail", authority, message.pk), {}),
        ("post", url("reveal", authority, message.pk), {}),
        (
            "post",
            url("labels", authority, message.pk, "domaine"),
            {"topic-value": "culture"},
        ),
        ("post", url("assign", authority, message.pk), {"assignee": ""}),
        ("post", url("status", authority, message.pk), {"status": "en_cours"}),
        ("post", url("note", authority, message.pk), {"text": "Vu."}),
    ]


def test_an_outsider_gets_404_on_every_route(
    client_of, outsider, commune, road_message
):
    client = client_of(outsider)
    routes = [
        *message_routes(commune, road_message),
        ("get", url("list", commune), {}),
        ("get", url("sort_first", commune), {}),
        ("get", url("settings", commune), {}),
        ("post", url("settings", commune), {"retention_months": 6}),
    ]
    for method, address, data in routes:
        assert getattr(client, method)(address, data).status_code == 404, address
    road_message.refresh_from_db()
    assert road_message.topic == "voirie" and road_message.status == "nouveau"
    assert not Note.objects.exists()


def test_a_message_of_another_authority_is_not_found_through_ours(
    client_of, agency, commune, other_authority
):
    theirs = MessageFactory(authority=other_authority)
    client = client_of(agency)
    for method, address, data in message_routes(commune, theirs):
        assert getattr(client, method)(address, data).status_code == 404, address


def test_an_agent_gets_404_on_a_message_of_another_service(
    client_of, agent, commune, cleaning_message
):
    client = client_of(agent)
    for method, address, data in message_routes(commune, cleaning_message):
        assert getattr(client, method)(address, data).status_code == 404, address


def test_an_agent_lists_only_the_messages_of_their_service(
    client_of, agent, commune, road_message, cleaning_message
):
    page = client_of(agent).get(url("list", commune)).content.decode()
    assert url("detail", commune, road_message.pk) in page
    assert url("detail", commune, cleaning_message.pk) not in page


def test_an_elected_member_reads_but_cannot_change_anything(
    client_of, elected, commune, road_message
):
    client = client_of(elected)
    assert client.get(url("list", commune)).status_code == 200
    page = client.get(url("detail", commune, road_message.pk)).content.decode()
    assert "Voir le texte complet" not in page
    assert url("status", commune, road_message.pk) not in page
    for method, address, data in message_routes(commune, road_message)[1:]:
        assert getattr(client, method)(address, data).status_code == 404, address
    assert client.get(url("sort_first", commune)).status_code == 404


def test_phone_numbers_and_emails_never_appear_in_clear_in_the_list_or_the_page(
    client_of, editor, commune
):
    message = MessageFactory(
        authority=commune,
        text=f"Rappelez-moi au {PHONE} ou écrivez à {EMAIL}, merci.",
        author_email=EMAIL,
    )
    client = client_of(editor)
    for address in (url("list", commune), url("detail", commune, message.pk)):
        page = client.get(address).content.decode()
        assert "[téléphone]" in page and "[e-mail]" in page
        assert PHONE not in page and "0612345678" not in page
        assert EMAIL not in page


def test_the_full_text_is_shown_on_request_and_the_reading_is_audited(
    client_of, editor, commune
):
    message = MessageFactory(authority=commune, text=f"Mon numéro : {PHONE}.")
    response = client_of(editor).post(url("reveal", commune, message.pk))
    assert PHONE in response.content.decode()
    event = AuditEvent.objects.get(action="inbox.revealed")
    assert event.actor == editor and event.target_id == str(message.pk)


def test_the_full_text_alone_comes_back_to_htmx(client_of, editor, commune):
    message = MessageFactory(authority=commune, text=f"Mon numéro : {PHONE}.")
    response = client_of(editor).post(
        url("reveal", commune, message.pk), HTTP_HX_REQUEST="true"
    )
    page = response.content.decode()
    assert PHONE in page and "<html" not in page


def test_a_script_in_a_message_is_shown_as_text(client_of, editor, commune):
    message = MessageFactory(
        authority=commune,
        text="<script>alert('x')</script> rue <b>barrée</b>",
        author_name="<img src=x onerror=alert(1)>",
    )
    client = client_of(editor)
    pages = [
        client.get(url("list", commune)).content.decode(),
        client.get(url("detail", commune, message.pk)).content.decode(),
        client.post(url("reveal", commune, message.pk)).content.decode(),
    ]
    for page in pages:
        assert "<script>alert" not in page
        assert "&lt;script&gt;alert" in page
        assert "<img src=x" not in page and "<b>barrée" not in page


def test_the_list_costs_the_same_queries_for_10_and_200_messages(
    client_of, editor, commune, roads, agent
):
    def queries(client):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url("list", commune)).status_code == 200
        return len(captured)

    MessageFactory.create_batch(10, authority=commune, service=roads, assignee=agent)
    client = client_of(editor)
    few = queries(client)
    MessageFactory.create_batch(190, authority=commune, service=roads, assignee=agent)
    many = queries(client)
    assert few == many
    assert many <= 15


def test_the_list_pages_forward_by_keyset(client_of, editor, commune):
    made = MessageFactory.create_batch(55, authority=commune)
    client = client_of(editor)
    first = client.get(url("list", commune))
    page = first.content.decode()
    oldest_shown = made[5]
    assert url("detail", commune, made[-1].pk) + '"' in page
    assert url("detail", commune, made[4].pk) + '"' not in page
    assert "Messages plus anciens" in page
    cursor = first.context["page"].next_cursor
    second = client.get(url("list", commune), {"apres": cursor}).content.decode()
    assert url("detail", commune, made[4].pk) + '"' in second
    assert url("detail", commune, oldest_shown.pk) + '"' not in second
    assert "Les plus récents" in second


def test_the_list_filters_from_the_query_string(client_of, editor, commune, roads):
    closed = MessageFactory(authority=commune, status=Status.CLOSED)
    fresh = MessageFactory(authority=commune, topic="culture")
    client = client_of(editor)
    page = client.get(url("list", commune), {"statut": "clos"}).content.decode()
    assert url("detail", commune, closed.pk) + '"' in page
    assert url("detail", commune, fresh.pk) + '"' not in page
    # An unknown value filters nothing.
    page = client.get(url("list", commune), {"statut": "perdu"}).content.decode()
    assert url("detail", commune, fresh.pk) + '"' in page


def test_counts_per_status_say_more_than_the_cap(
    client_of, editor, commune, monkeypatch
):
    from parvis.inbox import selectors

    monkeypatch.setattr(selectors, "COUNT_CAP", 2)
    monkeypatch.setattr("parvis.inbox.views.COUNT_CAP", 2)
    MessageFactory.create_batch(3, authority=commune)
    page = client_of(editor).get(url("list", commune)).content.decode()
    assert "plus de 2" in page


def test_correcting_a_label_reroutes_and_answers_htmx_with_the_panel(
    client_of, agent, commune, road_message, cleaning
):
    response = client_of(agent).post(
        url("labels", commune, road_message.pk, "domaine"),
        {"topic-value": "proprete"},
        HTTP_HX_REQUEST="true",
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="traitement"' in page and "<html" not in page
    assert "Propreté urbaine" in page
    assert 'hx-swap-oob="innerHTML"' in page
    road_message.refresh_from_db()
    assert road_message.topic == "proprete" and road_message.service == cleaning
    assert road_message.corrected == {"topic": "proprete"}


def test_correcting_a_label_without_javascript_comes_back_to_the_page(
    client_of, editor, commune, road_message
):
    response = client_of(editor).post(
        url("labels", commune, road_message.pk, "abus"), {"abuse-value": "oui"}
    )
    assert response.status_code == 302
    assert response.url.endswith(f"/messages/{road_message.pk}/#traitement")
    road_message.refresh_from_db()
    assert road_message.abuse is True


def test_an_unknown_label_or_value_changes_nothing(
    client_of, editor, commune, road_message
):
    client = client_of(editor)
    assert (
        client.post(url("labels", commune, road_message.pk, "couleur"), {}).status_code
        == 404
    )
    client.post(
        url("labels", commune, road_message.pk, "domaine"), {"topic-value": "piscine"}
    )
    road_message.refresh_from_db()
    assert road_message.topic == "voirie" and road_message.corrected == {}


def test_a_message_is_assigned_only_to_a_member(
    client_of, editor, commune, road_message, agent, outsider
):
    client = client_of(editor)
    client.post(url("assign", commune, road_message.pk), {"assignee": outsider.pk})
    road_message.refresh_from_db()
    assert road_message.assignee is None
    client.post(url("assign", commune, road_message.pk), {"assignee": agent.pk})
    road_message.refresh_from_db()
    assert road_message.assignee == agent


def test_the_status_changes_through_the_form_within_the_allowed_transitions(
    client_of, editor, commune, road_message
):
    client = client_of(editor)
    client.post(url("status", commune, road_message.pk), {"status": "clos"})
    road_message.refresh_from_db()
    assert road_message.status == "clos" and road_message.closed_at
    response = client.post(
        url("status", commune, road_message.pk),
        {"status": "repondu"},
        HTTP_HX_REQUEST="true",
    )
    assert "Erreur" in response.content.decode()
    road_message.refresh_from_db()
    assert road_message.status == "clos"


def test_a_note_is_added_and_shown(client_of, agent, commune, road_message):
    client = client_of(agent)
    response = client.post(
        url("note", commune, road_message.pk), {"text": "Équipe passée ce matin."}
    )
    assert response.status_code == 302
    page = client.get(url("detail", commune, road_message.pk)).content.decode()
    assert "Équipe passée ce matin." in page
    empty = client.post(url("note", commune, road_message.pk), {"text": "  "})
    assert empty.status_code == 400
    assert Note.objects.count() == 1


def test_the_page_of_a_message_out_of_competence_proposes_a_redirection(
    client_of, editor, commune
):
    message = MessageFactory(authority=commune, topic="education", level="departement")
    page = client_of(editor).get(url("detail", commune, message.pk)).content.decode()
    assert "Hors de nos compétences" in page
    assert "Ille-et-Vilaine" in page


def test_the_messages_to_sort_first_can_be_checked_in_one_click(
    client_of, editor, commune
):
    unsure = MessageFactory(
        authority=commune, confidences={"topic": 0.2, "intent": 0.9}
    )
    client = client_of(editor)
    page = client.get(url("sort_first", commune)).content.decode()
    assert url("labels", commune, unsure.pk, "domaine") in page
    assert "sûr à 20" in page
    response = client.post(
        url("labels", commune, unsure.pk, "domaine"),
        {"topic-value": "culture", "suivant": "a-trier"},
    )
    assert response.url == url("sort_first", commune)
    page = client.get(url("sort_first", commune)).content.decode()
    assert url("labels", commune, unsure.pk, "domaine") not in page


def test_only_administrators_change_the_inbox_settings(
    client_of, admin_user, editor, commune
):
    assert client_of(editor).get(url("settings", commune)).status_code == 404
    client = client_of(admin_user)
    page = client.get(url("settings", commune)).content.decode()
    assert "Collèges" in page
    form = client.get(url("settings", commune)).context["form"]
    data = {
        field.html_name: field.value() for field in form if field.value() is not None
    }
    data |= {
        "retention_months": 6,
        "alert_threshold": 2.5,
        "competence_dechets_menagers": "commune",
    }
    response = client.post(url("settings", commune), data)
    assert response.status_code == 302
    saved = InboxSettings.objects.get(authority=commune)
    assert saved.retention_months == 6 and saved.alert_threshold == 2.5
    assert saved.competences["dechets_menagers"] == "commune"
    assert saved.competences["colleges"] == "departement"
    assert saved.competences["voirie"] == "commune"


def test_wrong_settings_are_explained(client_of, admin_user, commune):
    response = client_of(admin_user).post(
        url("settings", commune), {"retention_months": 0}
    )
    assert response.status_code == 200
    assert "error-summary" in response.content.decode()
    assert not InboxSettings.objects.filter(authority=commune).exists()


def test_an_administrator_creates_an_open311_key_seen_once_then_revokes_it(
    client_of, admin_user, editor, commune
):
    from parvis.inbox.models import Open311Key
    from parvis.inbox.services import open311_key_valid

    client = client_of(admin_user)
    assert (
        client.post(url("open311_key_add", commune), {"label": ""}).status_code == 200
    )
    assert not Open311Key.objects.exists()
    response = client.post(url("open311_key_add", commune), {"label": "DansMaRue"})
    key = response.context["new_key"]
    assert key and key in response.content.decode()
    row = Open311Key.objects.get(authority=commune)
    assert open311_key_valid(authority=commune, key=key)
    assert key not in client.get(url("settings", commune)).content.decode()
    assert (
        client_of(editor).post(url("open311_key_revoke", commune, row.pk)).status_code
        == 404
    )
    client = client_of(admin_user)
    client.post(url("open311_key_revoke", commune, row.pk))
    assert not open311_key_valid(authority=commune, key=key)
    assert "Révoquée le" in client.get(url("settings", commune)).content.decode()


def test_a_message_page_shows_its_replies_region(client_of, editor, commune):
    from parvis.inbox.models import Reply

    message = MessageFactory(authority=commune)
    Reply.objects.create(
        message=message, text="Merci, c'est noté.", via="email", state="sent"
    )
    page = client_of(editor).get(url("detail", commune, message.pk)).content.decode()
    assert 'id="reponses"' in page and "Merci, c&#x27;est noté." in page


def test_every_status_and_origin_is_said_in_words(client_of, editor, commune):
    for status in Status:
        MessageFactory(authority=commune, status=status, origin="mastodon")
    page = client_of(editor).get(url("list", commune)).content.decode()
    for status in Status:
        assert str(status.label) in page
    assert "Mastodon, signalement" in page
    assert Message.objects.count() == len(Status)

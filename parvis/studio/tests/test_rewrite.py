"""Rewriting by a language model, against recorded OpenAI-compatible answers."""

import json
import logging
from pathlib import Path

import httpx
import pytest

from parvis.connectors.testing import Router, fixture_response, load_fixture, timeout
from parvis.studio import services
from parvis.studio.rewrite import RewriteFailed, message_parts
from parvis.studio.tests.test_editor_views import url
from parvis.studio.tests.test_post_services import TEXT, make_post
from parvis.system.models import AuditEvent

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parent / "fixtures" / "llm"
API_URL = "https://llm.example.fr/v1"
API_KEY = "sk-test-0b1d5c9e7a2f4d6b8c3e1234"
ENDPOINT = r"^/v1/chat/completions$"


@pytest.fixture
def llm(settings, monkeypatch):
    """The endpoint turned on, answered by a Router that views reach too."""
    settings.LLM_API_URL = API_URL
    settings.LLM_MODEL = "mistral-small-latest"
    settings.LLM_API_KEY = API_KEY
    settings.LLM_TIMEOUT_SECONDS = 30
    router = Router()
    monkeypatch.setattr("parvis.studio.rewrite.llm_client", router.client)
    return router


def answer(router, name):
    return router.reply("POST", ENDPOINT, fixture_response(FIXTURES, name))


def test_the_model_rewrites_a_variant_into_checked_thread_parts(llm, commune, editor):
    variant = make_post(commune, editor, networks=("x",)).variants.get()
    sent = list(variant.parts)
    answer(llm, "chat_completions__success")

    services.variant_rewrite(variant=variant, actor=editor)

    variant.refresh_from_db()
    assert len(variant.parts) == 2
    assert variant.parts[0].startswith("🎲 Fête du jeu le samedi 14 juin 2027")
    assert variant.parts[1].endswith("#SaintMalo #FêteDuJeu 2/2")
    assert "---" not in variant.text
    assert variant.rewritten_by_model
    assert variant.checks["facts"]["ok"], variant.checks["facts"]["message"]
    assert variant.checks["fits"]["ok"], variant.checks["fits"]["message"]
    assert variant.checks == services.variant_checks(
        variant=variant, parts=variant.parts, image_alt=variant.image_alt
    )
    event = AuditEvent.objects.get(action="studio.variant_rewrite")
    assert "mistral-small-latest" in event.summary

    (request,) = llm.seen
    assert str(request.url) == f"{API_URL}/chat/completions"
    assert request.headers["Authorization"] == f"Bearer {API_KEY}"
    payload = json.loads(request.content)
    assert payload["model"] == "mistral-small-latest"
    assert payload["temperature"] == 0.3
    system, user = payload["messages"]
    assert system["role"] == "system" and user["role"] == "user"
    for rule in ("X", "280 caractères", "Vouvoie", "N'invente rien", "CamelCase"):
        assert rule in system["content"]
    assert "---" in system["content"]
    assert TEXT[:60] in user["content"]
    assert "\n---\n".join(sent) in user["content"]


def test_a_date_the_model_invents_fails_the_facts_check_shown_in_the_editor(
    llm, client_of, commune, editor
):
    variant = make_post(commune, editor, networks=("mastodon",)).variants.get()
    answer(llm, "chat_completions__invented_date")
    client = client_of(editor)

    response = client.post(url("variant_rewrite", commune, variant.pk))

    assert response["Location"].endswith(
        f"?fait=reecrite&variante={variant.pk}#variante-{variant.pk}"
    )
    variant.refresh_from_db()
    assert variant.rewritten_by_model
    assert [fact["text"] for fact in variant.checks["facts"]["details"]] == [
        "samedi 21 juin 2027"
    ]
    page = client.get(response["Location"])
    assert "proposition de l'IA écrite" in page.text
    assert "Proposition de l'IA — à relire" in page.text
    assert (
        '<p class="check__message">Faits absents de la source : « samedi 21 juin 2027 »'
    ) in page.text


def test_saving_the_models_proposal_marks_it_reviewed(llm, commune, editor):
    variant = make_post(commune, editor, networks=("x",)).variants.get()
    answer(llm, "chat_completions__success")
    services.variant_rewrite(variant=variant, actor=editor)

    services.variant_update(
        variant=variant, parts=variant.parts, image_alt="", actor=editor
    )

    variant.refresh_from_db()
    assert not variant.rewritten_by_model
    event = AuditEvent.objects.filter(action="studio.variant_update").latest("pk")
    assert event.changes["rewritten_by_model"] == [True, False]


def test_a_timeout_leaves_the_variant_as_it_was_with_a_french_message(
    llm, client_of, commune, editor
):
    variant = make_post(commune, editor, networks=("x",)).variants.get()
    before = list(variant.parts)
    llm.add("POST", ENDPOINT, timeout)

    with pytest.raises(RewriteFailed) as caught:
        services.variant_rewrite(variant=variant, actor=editor)
    assert str(caught.value) == (
        "Le service d'IA n'a pas répondu à temps (30 s). Réessayez plus tard, ou "
        "modifiez la variante à la main."
    )

    response = client_of(editor).post(
        url("variant_rewrite", commune, variant.pk), follow=True
    )
    assert "pas répondu à temps" in response.text
    variant.refresh_from_db()
    assert variant.parts == before
    assert not variant.rewritten_by_model
    assert not AuditEvent.objects.filter(action="studio.variant_rewrite").exists()


def test_a_refused_key_says_so_in_french_and_never_logs_the_key(
    llm, commune, editor, caplog
):
    variant = make_post(commune, editor, networks=("x",)).variants.get()
    data = load_fixture(FIXTURES, "chat_completions__invalid_api_key")
    # Some endpoints repeat the whole key in their error message.
    data["body"]["error"]["message"] = f"Invalid API key: {API_KEY}"
    llm.reply("POST", ENDPOINT, httpx.Response(401, json=data["body"]))

    with (
        caplog.at_level(logging.DEBUG),
        pytest.raises(RewriteFailed, match="refuse la clé d'accès de Parvis"),
    ):
        services.variant_rewrite(variant=variant, actor=editor)

    assert "Invalid API key" in caplog.text
    assert API_KEY not in caplog.text


def test_the_recorded_401_answer_is_a_french_message(llm, commune, editor):
    variant = make_post(commune, editor, networks=("x",)).variants.get()
    answer(llm, "chat_completions__invalid_api_key")
    with pytest.raises(RewriteFailed) as caught:
        services.variant_rewrite(variant=variant, actor=editor)
    assert str(caught.value).startswith("Le service d'IA refuse la clé d'accès")


@pytest.mark.parametrize(
    ("response", "message"),
    [
        (httpx.Response(200, text="<html>Bad gateway</html>"), "réponse illisible"),
        (httpx.Response(200, json={"error": "overloaded"}), "réponse illisible"),
        (httpx.Response(503, json={}), r"en panne \(erreur 503\)"),
        (httpx.Response(429, json={}), "trop de demandes"),
    ],
)
def test_an_unusable_answer_is_a_french_error(llm, commune, editor, response, message):
    variant = make_post(commune, editor, networks=("x",)).variants.get()
    llm.reply("POST", ENDPOINT, response)
    with pytest.raises(RewriteFailed, match=message):
        services.variant_rewrite(variant=variant, actor=editor)


def test_an_empty_or_cut_short_message_is_a_french_error(llm, commune, editor):
    variant = make_post(commune, editor, networks=("x",)).variants.get()
    body = load_fixture(FIXTURES, "chat_completions__success")["body"]
    choice = body["choices"][0]
    empty = {**choice, "message": {**choice["message"], "content": " \n"}}
    cut = {**choice, "finish_reason": "length"}
    llm.reply("POST", ENDPOINT, httpx.Response(200, json={**body, "choices": [empty]}))
    with pytest.raises(RewriteFailed, match="aucun texte"):
        services.variant_rewrite(variant=variant, actor=editor)
    llm.routes.clear()
    llm.reply("POST", ENDPOINT, httpx.Response(200, json={**body, "choices": [cut]}))
    with pytest.raises(RewriteFailed, match="coupée avant la fin"):
        services.variant_rewrite(variant=variant, actor=editor)


def test_the_fences_and_quotes_a_model_adds_are_stripped():
    assert message_parts("```text\n« Bonjour. »\n```", threads=False) == ["Bonjour."]
    assert message_parts('"Un. 1/2"\n---\n"Deux. 2/2"', threads=True) == [
        "Un. 1/2",
        "Deux. 2/2",
    ]
    # Quotes inside the message stay.
    assert message_parts("« Fête » et « jeux »", threads=False) == [
        "« Fête » et « jeux »"
    ]
    # A network without threads gets one message.
    assert message_parts("Un.\n---\nDeux.", threads=False) == ["Un.\n\nDeux."]


def test_without_an_endpoint_there_is_no_button_and_the_action_is_404(
    settings, client_of, commune, editor
):
    settings.LLM_API_URL = ""
    variant = make_post(commune, editor, networks=("x",)).variants.get()
    client = client_of(editor)
    page = client.get(url("post", commune, variant.post_id))
    assert "Régénérer" in page.text
    assert "Réécrire avec l'IA" not in page.text
    assert client.post(url("variant_rewrite", commune, variant.pk)).status_code == 404


def test_with_an_endpoint_each_variant_has_the_button(llm, client_of, commune, editor):
    post = make_post(commune, editor, networks=("x", "mastodon"))
    page = client_of(editor).get(url("post", commune, post.pk))
    assert page.text.count("Réécrire avec l'IA<span") == 2


def test_an_outsider_cannot_have_a_variant_rewritten(
    llm, client_of, commune, other_authority, editor, outsider
):
    variant = make_post(commune, editor, networks=("x",)).variants.get()
    client = client_of(outsider)
    assert client.post(url("variant_rewrite", commune, variant.pk)).status_code == 404
    assert (
        client.post(url("variant_rewrite", other_authority, variant.pk)).status_code
        == 404
    )
    assert llm.seen == []

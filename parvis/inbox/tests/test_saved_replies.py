"""Saved replies: their variables filled for the message answered, safely, and a text
naming an unknown variable refused when it is saved."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from parvis.inbox.forms_replies import SavedReplyForm
from parvis.inbox.models import Message, SavedReply
from parvis.inbox.services import saved_reply_render, saved_reply_save
from parvis.inbox.services.intake import receipt_number
from parvis.inbox.services.saved_replies import unknown_variables
from parvis.territory.models import Service

pytestmark = pytest.mark.django_db


@pytest.fixture
def message(commune):
    service = Service.objects.create(
        authority=commune, name="Voirie", topics=["voirie"]
    )
    return Message.objects.create(
        authority=commune,
        origin="form",
        kind="report",
        text="Nid-de-poule rue de la Fosse.",
        author_name="Morgane K.",
        author_email="morgane@example.org",
        received_at=dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC),
        due_at=dt.datetime(2026, 11, 25, 23, 30, tzinfo=dt.UTC),
        service=service,
    )


def test_every_variable_is_filled_for_the_message(message):
    text = (
        "Bonjour {auteur}, le service {service} de {collectivite} traite votre "
        "signalement n° {numero} d'ici {delai}."
    )
    assert saved_reply_render(text=text, message=message) == (
        "Bonjour Morgane K., le service Voirie de Saint-Malo traite votre "
        f"signalement n° {receipt_number(message.public_id)} d'ici le 26/11/2026."
    )  # 23 h 30 UTC is past midnight in Saint-Malo


def test_without_a_name_service_or_delay_the_words_stay_polite(commune):
    anonymous = Message.objects.create(
        authority=commune, origin="form", kind="contact", text="Bonjour",
        received_at=dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC),
    )  # fmt: skip
    rendered = saved_reply_render(
        text="{auteur}, {service} vous répondront {delai}.", message=anonymous
    )
    assert (
        rendered
        == "Madame, Monsieur, nos services vous répondront dans les meilleurs délais."
    )


@pytest.mark.parametrize(
    "text",
    ["{auteur.__class__}", "{numero!r}", "{delai:>30}", "{message.author_email}"],
)
def test_nothing_but_the_variables_is_ever_evaluated(message, text):
    assert saved_reply_render(text=text, message=message) == text
    assert unknown_variables(text) == [text[1:-1]]


def test_a_saved_reply_naming_an_unknown_variable_is_refused(commune, editor):
    with pytest.raises(ValidationError, match=r"Variable inconnue : \{prenom\}"):
        saved_reply_save(
            authority=commune,
            actor=editor,
            fields={"title": "Accueil", "text": "Bonjour {prenom} !"},
        )
    assert not SavedReply.objects.exists()


def test_the_form_lists_the_variables_and_refuses_unknown_ones():
    form = SavedReplyForm(
        data={"title": "Accueil", "text": "Bonjour {prenom}, {auteur} !"}
    )
    assert not form.is_valid()
    assert "{prenom}" in form.errors["text"][0]
    assert "{collectivite}" in form.fields["text"].help_text
    good = SavedReplyForm(data={"title": "Accueil", "text": "Bonjour {auteur} !"})
    assert good.is_valid(), good.errors

import pytest

from parvis.inbox.classify import classify, classify_many
from parvis.inbox.classify.normalize import normalise_message


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        ("Il y a un énorme nid-de-poule devant la boulangerie, rue Pasteur.", "voirie"),
        (
            "Les poubelles n'ont pas été ramassées depuis mardi dans notre rue.",
            "proprete",
        ),
        ("Le bus de la ligne 3 passe toujours en retard le matin.", "transports"),
        ("Faut-il un permis de construire pour une véranda de 20 m² ?", "urbanisme"),
        (
            "Quand ouvrent les inscriptions à la cantine de l'école maternelle ?",
            "education",
        ),
        ("Un arbre mort du parc risque de tomber sur le chemin.", "environnement"),
        ("À quelle heure commence le concert de la fête de la musique ?", "culture"),
        ("Comment obtenir une aide du CCAS pour payer mon loyer ?", "social"),
        (
            "Comment obtenir un emplacement sur le marché pour mon commerce ?",
            "economie",
        ),
        ("La taxe foncière a encore augmenté cette année, pourquoi ?", "budget"),
        ("Tapage nocturne tous les soirs chez le voisin du dessus.", "securite"),
        ("Comment s'inscrire sur les listes électorales ?", "democratie"),
    ],
)
def test_clear_messages_get_their_topic(text, topic):
    assert classify(text).topic == topic


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("Quels sont les horaires de la médiathèque le samedi ?", "question"),
        ("Je vous signale un lampadaire cassé au carrefour de la gare.", "signalement"),
        (
            "Troisième relance, toujours aucune réponse de vos services, c'est inadmissible.",
            "reclamation",
        ),
        (
            "Il faudrait installer des bancs le long du canal, ce serait bien.",
            "suggestion",
        ),
        (
            "Merci beaucoup aux agents pour le déneigement rapide, bravo !",
            "remerciement",
        ),
        ("Bande de connards incapables, allez vous faire foutre.", "abus"),
    ],
)
def test_clear_messages_get_their_intent(text, intent):
    assert classify(text).intent == intent


def test_sentiment_urgency_and_abuse_of_clear_messages():
    thanks = classify(
        "Merci pour ce magnifique feu d'artifice, bravo à toute l'équipe !"
    )
    assert thanks.sentiment == "positif"
    gas = classify("Forte odeur de gaz rue des Peupliers, c'est urgent, venez vite !")
    assert gas.urgency == "urgent"
    assert gas.sentiment == "negatif"
    spam = classify("Gagnez 500 € par jour, cliquez ici : www.argent-facile.example")
    assert spam.abuse and spam.intent == "abus"
    assert not classify("Quand passe la balayeuse dans ma rue ?").abuse


def test_every_column_has_a_confidence_between_zero_and_one():
    result = classify("Le trottoir est défoncé devant l'école.")
    assert set(result.confidences) == {
        "topic", "intent", "sentiment", "urgency", "level", "abuse"
    }  # fmt: skip
    assert all(0 <= value <= 1 for value in result.confidences.values())


def test_the_same_text_gives_the_same_classification():
    text = "Pk la poubelle est tjrs pas ramassée ??? C'est trooop nul 😡"
    first = classify(text)
    assert classify(text) == first
    assert classify_many([text, "autre chose", text])[2] == first


def test_sms_spellings_elongations_and_pictograms_are_normalised():
    normalised = normalise_message("Bjr, pk c trooop sale ??????? 😡")
    assert normalised.text.startswith("bonjour, pourquoi c trop sale ???")
    assert "colère" in normalised.text
    assert "colere" in normalised.plain


def test_personal_data_becomes_a_placeholder_word_before_classification():
    normalised = normalise_message("Rappelez-moi au 06 12 34 56 78")
    assert "06" not in normalised.text and "numérotéléphone" in normalised.text


def test_an_empty_list_classifies_to_nothing():
    assert classify_many([]) == []

import pytest

from parvis.inbox.classify import classify
from parvis.inbox.classify.levels import COMMUNE_COMPETENCES, competent_level


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("Le chauffage du collège Jean Moulin ne marche plus.", "departement"),
        ("Les toilettes du lycée sont dans un état lamentable.", "region"),
        ("Le TER de 7h12 est encore supprimé ce matin.", "region"),
        ("Comment refaire mon passeport rapidement ?", "etat"),
        ("Ma carte grise n'est toujours pas arrivée.", "etat"),
        ("La police nationale ne se déplace plus pour les vols.", "etat"),
        ("Les ordures ménagères n'ont pas été collectées mardi.", "epci"),
        ("Ma facture d'eau a doublé, le compteur d'eau est-il bien relevé ?", "epci"),
        ("Un gros trou dans la chaussée rue Carnot.", "commune"),
        ("Les inscriptions à l'école maternelle, c'est quand ?", "commune"),
        (
            "Affaissement de la chaussée sur la D 916 à l'entrée du bourg.",
            "departement",
        ),
    ],
)
def test_the_competent_level_follows_keywords_then_topic(text, level):
    assert classify(text).level == level


def test_competences_are_configurable_per_authority():
    text = "Les ordures ménagères n'ont pas été collectées mardi."
    assert classify(text).level == "epci"
    own_waste = {"dechets_menagers": "commune"}
    assert classify(text, competences=own_waste).level == "commune"


def test_without_keyword_the_topic_decides_through_the_mapping():
    level, confidence = competent_level("transports", 0.9, {})
    assert level == COMMUNE_COMPETENCES["transports"] == "epci"
    assert 0 < confidence < 1


def test_a_weak_keyword_alone_does_not_move_the_message():
    assert competent_level("voirie", 0.9, {"dechets_menagers": 1.0})[0] == "commune"


def test_an_abusive_message_stays_with_the_authority_that_received_it():
    result = classify(
        "Les chauffeurs du TER régional sont des connards, bande de cassos."
    )
    assert result.abuse
    assert result.level == "commune"

import pytest

from parvis.nlp.lemmas import STOPWORDS, lemma
from parvis.nlp.topics import TOPIC_LEXICON, topic_scores

SLUGS = {
    "voirie", "proprete", "transports", "urbanisme", "education", "environnement",
    "culture", "social", "economie", "budget", "securite", "democratie",
}  # fmt: skip


def test_every_topic_of_the_design_has_a_lexicon_of_lemmas():
    assert set(TOPIC_LEXICON) == SLUGS
    for words in TOPIC_LEXICON.values():
        assert len(words) >= 20
        for word in words:
            assert word not in STOPWORDS
            assert word in (lemma(word), lemma(word.upper())), word


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        (
            "Les inscriptions à la cantine et au périscolaire pour la rentrée.",
            "education",
        ),
        (
            "Travaux de voirie : la chaussée est refaite et le stationnement interdit.",
            "voirie",
        ),
        ("Collecte des encombrants et des déchets verts à la déchèterie.", "proprete"),
        ("Nouvelle ligne de bus et piste cyclable vers la gare.", "transports"),
        (
            "Budget 2027 : les impôts locaux et la taxe foncière n'augmentent pas.",
            "budget",
        ),
        (
            "Vigilance orange orages : évitez les déplacements, secours au 18.",
            "securite",
        ),
        ("Concert gratuit au festival de la médiathèque.", "culture"),
        ("Inscrivez-vous sur les listes électorales avant l'élection.", "democratie"),
    ],
)
def test_the_main_topic_of_a_sentence(text, topic):
    scores = topic_scores(text)
    assert max(scores, key=lambda slug: scores[slug]) == topic


def test_scores_are_shares_between_zero_and_one():
    scores = topic_scores("La cantine de l'école. Le bus.")
    assert set(scores) == SLUGS
    assert all(0.0 <= score <= 1.0 for score in scores.values())
    assert scores["education"] == pytest.approx(2 / 3)
    assert scores["transports"] == pytest.approx(1 / 3)


def test_a_text_without_content_words_scores_zero_everywhere():
    assert set(topic_scores("Et pour nous ?").values()) == {0.0}

import pytest

from parvis.nlp.readability import kandel_moles, level, readability, syllables


@pytest.mark.parametrize(
    ("word", "count"),
    [
        ("collectivité", 5),
        ("eau", 1),
        ("oiseau", 2),
        ("piscine", 3),  # written syllables: pis-ci-ne
        ("école", 3),
        ("une", 2),
        ("rue", 1),
        ("année", 2),
        ("parlent", 2),
        ("théâtre", 3),
        ("réunion", 3),
        ("aéroport", 4),
        ("Noël", 2),
        ("maïs", 2),
        ("quatre", 2),
        ("guérir", 2),
        ("question", 2),
        ("crayon", 2),
        ("yeux", 1),
        ("août", 1),
        ("aujourd'hui", 3),
        ("peut-être", 3),
        ("2027", 1),
        ("l'", 1),
    ],
)
def test_french_written_syllables(word, count):
    assert syllables(word) == count


def test_kandel_moles_of_short_sentences_of_short_words():
    # 6 words, 2 sentences, 6 syllables: 207 - 1.015 * 3 - 73.6 * 1
    assert kandel_moles("Le chat dort. Il fait beau.") == pytest.approx(130.355)


def test_kandel_moles_of_administrative_prose():
    # 9 words, 1 sentence, 19 syllables: la col-lec-ti-vi-té pro-cé-de-ra à la
    # ré-fec-tion de la chaus-sée
    text = "La collectivité procédera à la réfection de la chaussée."
    assert kandel_moles(text) == pytest.approx(207 - 1.015 * 9 - 73.6 * 19 / 9)


def test_hashtags_mentions_and_links_do_not_count():
    plain = "Le chat dort. Il fait beau."
    decorated = f"{plain} #FêteDeLaMusique @ville https://www.ville.fr/actualites"
    assert kandel_moles(decorated) == kandel_moles(plain)


def test_readability_clamps_the_score_and_labels_it_in_french():
    result = readability("Le chat dort. Il fait beau.")
    assert result.score == 100.0
    assert result.words_per_sentence == 3.0
    assert result.longest_sentence_words == 3
    assert result.level == "très facile"


def test_long_administrative_sentences_read_as_difficult():
    text = (
        "Dans le cadre de la mise en œuvre du plan pluriannuel d'investissement, "
        "la collectivité procédera, sous réserve de l'obtention des financements "
        "sollicités auprès des partenaires institutionnels, à la requalification "
        "intégrale de l'infrastructure communautaire."
    )
    result = readability(text)
    assert result.score < 30
    assert result.level == "très difficile"
    assert result.longest_sentence_words == result.words_per_sentence == 33


def test_a_plain_message_scores_higher_than_its_administrative_version():
    plain = "La rue de Dinan ferme lundi. Les bus passent par le port."
    official = (
        "La circulation sera interdite rue de Dinan à compter de lundi, une "
        "déviation des lignes de transport collectif étant mise en place."
    )
    assert readability(plain).score > readability(official).score + 20


def test_an_empty_text_is_trivially_easy():
    assert readability("").score == 100.0
    assert readability("").longest_sentence_words == 0


@pytest.mark.parametrize(
    ("score", "label"),
    [
        (95, "très facile"),
        (85, "facile"),
        (75, "assez facile"),
        (65, "standard"),
        (55, "assez difficile"),
        (40, "difficile"),
        (10, "très difficile"),
    ],
)
def test_levels_follow_flesch_bands(score, label):
    assert level(score) == label

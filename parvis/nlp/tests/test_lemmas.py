from parvis.nlp.lemmas import STOPWORDS, lemma, lemmas


def test_lemmas_are_lowercase_without_stopwords_or_punctuation():
    text = "Les inscriptions aux écoles de la Ville sont ouvertes jusqu'au 3 mars !"
    assert lemmas(text) == ["inscription", "école", "ville", "ouvert", "mars"]


def test_elisions_and_joined_pronouns_are_removed():
    assert lemmas("L'école d'Antoine ; inscrivez-vous, a-t-il dit.") == [
        "école",
        "antoine",
        "inscrire",
        "dire",
    ]


def test_acronyms_are_not_read_as_words():
    assert lemma("PLU") == "plu"
    assert lemma("Écoles") == "école"


def test_local_words_override_the_dictionary():
    assert lemma("travaux") == "travaux"
    assert lemmas("Cet été, les vacances") == ["été", "vacances"]


def test_stopwords_hold_function_words_and_auxiliaries():
    assert {"le", "de", "et", "être", "avoir", "nous", "pour"} <= STOPWORDS
    assert "école" not in STOPWORDS

import pytest

from parvis.nlp.hashtags import camel_case, hashtag_candidates, is_camel_case


@pytest.mark.parametrize(
    ("phrase", "tag"),
    [
        ("fête de la musique", "FêteDeLaMusique"),
        ("journées européennes du patrimoine", "JournéesEuropéennesDuPatrimoine"),
        ("Saint-Malo", "SaintMalo"),
        ("l'été à Saint-Malo", "LÉtéÀSaintMalo"),
        ("#vide-greniers 2027", "VideGreniers2027"),
    ],
)
def test_camel_case_capitalises_each_word_and_keeps_accents(phrase, tag):
    assert camel_case(phrase) == tag


@pytest.mark.parametrize(
    "tag",
    [
        "FêteDeLaMusique",
        "#SaintMalo",
        "vélo",
        "#Inscriptions",
        "PLU",
        "JO2024",
        "Villeurbanne",
        "Beaulieu",
    ],
)
def test_readable_tags(tag):
    assert is_camel_case(tag)


@pytest.mark.parametrize(
    "tag",
    [
        "#fetedelamusique",
        "Fetedelamusique",
        "FETEDELAMUSIQUE",
        "rentreescolaire",
        "JourneeDupatrimoine",
        "",
        "#",
        "Saint-Malo",
    ],
)
def test_glued_or_shouted_tags(tag):
    assert not is_camel_case(tag)


def test_candidates_put_events_and_names_first_and_are_readable():
    text = (
        "Fête de la musique 2027 à Saint-Malo\n"
        "La Ville de Saint-Malo organise la fête de la musique le samedi 21 juin. Des "
        "concerts gratuits auront lieu place Chateaubriand. Concerts et animations "
        "pour les enfants : venez nombreux à Saint-Malo !"
    )
    candidates = hashtag_candidates(text, 3)
    assert candidates == ["FêteDeLaMusique", "SaintMalo", "Concert"]
    assert all(is_camel_case(tag) for tag in candidates)


def test_candidates_from_frequent_content_words():
    text = (
        "Travaux de voirie rue de Dinan. La rue de Dinan sera fermée pendant les "
        "travaux de réfection. Les travaux dureront deux semaines."
    )
    # "Dinan" names the street here, not the subject.
    assert hashtag_candidates(text, 5) == ["Travaux", "Voirie"]

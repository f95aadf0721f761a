import pytest

from parvis.nlp.facts import Fact, extract_facts, invented_facts


def keys(text: str, kind: str) -> list[str]:
    return [fact.key for fact in extract_facts(text) if fact.kind == kind]


@pytest.mark.parametrize(
    "text", ["le 3 mars 2027", "le 03/03/2027", "le 03.03.2027", "le 2027-03-03"]
)
def test_writings_of_one_date_share_a_key(text):
    assert keys(text, "date") == ["2027-03-03"]


def test_dates_without_year_and_month_alone_have_partial_keys():
    assert keys("Samedi 1er mars puis en avril 2027", "date") == ["--03-01", "2027-04"]


def test_a_list_or_range_of_days_gives_each_end_day():
    assert keys("du 3 au 5 mars 2027", "date") == ["2027-03-03", "2027-03-05"]
    assert keys("les 3, 4 et 5 avril", "date") == ["--04-03", "--04-04", "--04-05"]


def test_impossible_dates_are_not_facts():
    assert keys("le 31/02/2027 et le 32 mars", "date") == []


@pytest.mark.parametrize("text", ["14h30", "14 h 30", "14:30", "14H30"])
def test_writings_of_one_time_share_a_key(text):
    assert keys(f"à {text} précises", "time") == ["14:30"]


def test_hours_alone_noon_and_ranges():
    assert keys("de 9 h à 12h, puis à midi et à 18 heures", "time") == [
        "09:00",
        "12:00",
        "18:00",
    ]


def test_a_number_of_inhabitants_is_no_time():
    assert keys("14 habitants et 3 hommes", "time") == []


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("15 €", "15"),
        ("15€", "15"),
        ("15 euros", "15"),
        ("15,00 €", "15"),
        ("2,50 €", "2.5"),
        ("1 500 €", "1500"),
        ("1\u202f500 €", "1500"),
        ("2,5 millions d'euros", "2500000"),
        ("3 M€", "3000000"),
        ("entrée libre", "0"),
        ("gratuit", "0"),
    ],
)
def test_amounts_in_euros(text, key):
    assert keys(f"Tarif : {text}.", "amount") == [key]


def test_percentages_are_not_amounts():
    text = "une hausse de 2,5 % et 10 pour cent"
    assert keys(text, "percent") == ["2.5", "10"]
    assert keys(text, "amount") == []


@pytest.mark.parametrize(
    "text",
    [
        "05 99 00 00 00",
        "05.99.00.00.00",
        "0599000000",
        "+33 5 99 00 00 00",
        "+33 (0)5 99 00 00 00",
    ],
)
def test_writings_of_one_phone_share_a_key(text):
    assert keys(f"Appelez le {text}.", "phone") == ["0599000000"]


def test_emergency_numbers_are_phones_only_after_a_call_verb():
    assert keys("En cas de danger, appelez le 18 ou composez le 112.", "phone") == [
        "18",
        "112",
    ]
    assert keys("Il y a 18 places.", "phone") == []


def test_phone_numbers_are_not_read_as_dates():
    assert keys("Tél. 05.12.03.20.27", "date") == []


def test_emails_and_urls_are_normalised():
    text = (
        "Écrire à Culture@Ville-Exemple.fr ou voir "
        "https://www.ville-exemple.fr/agenda/fete/?utm_source=x#haut et ville-exemple.fr/plan."
    )
    assert keys(text, "email") == ["culture@ville-exemple.fr"]
    assert keys(text, "url") == [
        "ville-exemple.fr/agenda/fete",
        "ville-exemple.fr/plan",
    ]


def test_places_are_streets_and_named_venues():
    text = (
        "Rendez-vous place de la Mairie, puis au gymnase Jean-Moulin, 12, rue "
        "Victor-Hugo, à la salle des fêtes et à la piscine municipale."
    )
    assert [fact.text for fact in extract_facts(text) if fact.kind == "place"] == [
        "place de la Mairie",
        "gymnase Jean-Moulin",
        "12, rue Victor-Hugo",
        "salle des fêtes",
        "piscine municipale",
    ]
    assert "12 rue victor hugo" in keys(text, "place")


def test_common_nouns_are_not_places():
    text = "La mise en place du dispositif, sur place, dans la rue pour tous."
    assert keys(text, "place") == []


def test_registration_is_recognised_with_its_kind():
    assert keys("Inscription obligatoire.", "registration") == ["required"]
    assert keys("Sur réservation.", "registration") == ["required"]
    assert keys("Réservation conseillée.", "registration") == ["advised"]
    assert keys("Sans inscription.", "registration") == ["none"]
    assert keys("Inscrivez-vous en ligne.", "registration") == ["open"]


def test_facts_come_in_reading_order_with_their_written_text_once_each():
    text = "Samedi 21 juin 2027 à 14h30, 15 €. Rappel : le 21/06/2027 à 14 h 30."
    assert extract_facts(text) == [
        Fact("date", "Samedi 21 juin 2027", "2027-06-21"),
        Fact("time", "14h30", "14:30"),
        Fact("amount", "15 €", "15"),
    ]


SOURCE = (
    "Fête de la musique le samedi 21 juin 2027 de 14h30 à 23 h, place de la Mairie. "
    "Repas : 15 euros. Inscription obligatoire au 05 99 00 00 00 ou sur "
    "https://www.ville-exemple.fr/fete-musique."
)


def test_a_faithful_rewrite_invents_nothing():
    variant = (
        "🎶 Le 21 juin dès 14 h 30, place de la mairie ! Repas 15 € sur inscription "
        "(0599000000) : ville-exemple.fr/fete-musique?utm_source=x&utm_medium=social"
    )
    assert invented_facts(variant, SOURCE) == []


def test_invented_dates_times_amounts_phones_and_places_are_reported():
    variant = (
        "Le 22 juin à 10h, stade Lesca : 20 €. Infos au 05 11 22 33 44, "
        "https://ailleurs.fr."
    )
    assert [(fact.kind, fact.key) for fact in invented_facts(variant, SOURCE)] == [
        ("date", "--06-22"),
        ("time", "10:00"),
        ("place", "stade lesca"),
        ("amount", "20"),
        ("phone", "0511223344"),
        ("url", "ailleurs.fr"),
    ]


def test_a_month_matches_any_day_of_it_in_the_source():
    assert invented_facts("Rendez-vous en juin 2027.", SOURCE) == []
    assert invented_facts("Rendez-vous en juillet 2027.", SOURCE)[0].key == "2027-07"


def test_a_year_added_to_a_date_without_year_is_reported():
    source = "La fête a lieu le samedi 21 juin."
    assert invented_facts("Le 21 juin.", source) == []
    assert [fact.key for fact in invented_facts("Le 21 juin 2027.", source)] == [
        "2027-06-21"
    ]


def test_a_different_kind_of_registration_is_reported():
    assert invented_facts("Sans inscription.", SOURCE)[0].key == "none"
    assert invented_facts("Inscrivez-vous !", SOURCE) == []


def test_numbered_roads_and_named_venues_with_articles_are_places():
    text = (
        "La RD 914 est barrée, déviation par la RD27. Accueil à l'espace culturel "
        "La Grange puis à la salle omnisports Pierre-Le Gall."
    )
    assert keys(text, "place") == [
        "rd 914",
        "rd 27",
        "espace culturel la grange",
        "salle omnisports pierre le gall",
    ]


def test_a_place_named_in_another_way_in_the_source_still_matches():
    source = "Rendez-vous au 12, av. Victor-Hugo, près de la RD914."
    assert invented_facts("12 avenue Victor Hugo, RD 914", source) == []


def test_a_link_is_not_mistaken_for_a_date_a_time_or_a_phone():
    text = "Voir https://ville.fr/agenda/2027-03-03/14h30/0599000000 ."
    assert [fact.kind for fact in extract_facts(text)] == ["url"]

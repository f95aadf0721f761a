import pytest

from parvis.inbox.personal_data import find, mask


@pytest.mark.parametrize(
    "phone",
    [
        "06 12 34 56 78",
        "06.12.34.56.78",
        "06-12-34-56-78",
        "0612345678",
        "+33 6 12 34 56 78",
        "+33612345678",
        "+33 (0)6 12 34 56 78",
        "0033 6 12 34 56 78",
        "01 23 45 67 89",
    ],
)
def test_french_phone_numbers_are_masked(phone):
    assert mask(f"Rappelez-moi au {phone} svp") == "Rappelez-moi au [téléphone] svp"


def test_short_public_numbers_are_kept():
    text = "Appelez le 15, le 17, le 18 ou le 112 ; le 3939 pour l'administration."
    assert mask(text) == text


def test_email_addresses_are_masked():
    assert mask("Écrivez à jean.dupont+mairie@exemple.fr merci") == (
        "Écrivez à [e-mail] merci"
    )


@pytest.mark.parametrize(
    "iban",
    [
        "FR76 3000 6000 0112 3456 7890 189",
        "FR7630006000011234567890189",
        "fr76 3000 6000 0112 3456 7890 189",
    ],
)
def test_ibans_are_masked(iban):
    assert mask(f"Mon IBAN : {iban}.") == "Mon IBAN : [IBAN]."


def test_house_numbers_are_masked_and_streets_kept():
    assert mask("J'habite au 12 rue des Lilas.") == "J'habite au [n°] rue des Lilas."
    assert mask("au 3 bis, allée des Tilleuls") == "au [n°], allée des Tilleuls"
    assert mask("n° 8 avenue Foch") == "[n°] avenue Foch"


def test_a_street_without_number_is_not_an_address_of_anyone():
    text = "Le lampadaire de la rue des Lilas est en panne depuis 2 jours."
    assert mask(text) == text


def test_a_year_before_a_street_is_not_a_house_number():
    assert mask("en 2024 rue barrée") == "en 2024 rue barrée"


def test_find_reports_kinds_in_order_without_overlap():
    data = find("IBAN FR76 3000 6000 0112 3456 7890 189, tél 06 12 34 56 78")
    assert [datum.kind for datum in data] == ["iban", "phone"]

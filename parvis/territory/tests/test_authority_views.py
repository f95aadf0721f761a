import pytest
from django.urls import reverse

from parvis.territory.models import Authority

pytestmark = pytest.mark.django_db


def test_staff_finds_an_authority_by_name_and_creates_it(client_of, staff, reference):
    client = client_of(staff)
    page = client.get(reverse("territory:create"), {"q": "saint malo"})
    assert "Saint-Malo" in page.text
    response = client.post(
        reverse("territory:create"), {"territory": reference["35288"].pk}
    )
    authority = Authority.objects.get(code="35288")
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:members", args=[authority.slug])


def test_search_by_official_code_answers_the_htmx_partial(client_of, staff, reference):
    response = client_of(staff).get(reverse("territory:search"), {"q": "69123"})
    assert 'id="resultats"' in response.text
    assert "Lyon" in response.text
    assert "<html" not in response.text


def test_an_unknown_code_says_so_in_french(client_of, staff, reference):
    page = client_of(staff).get(reverse("territory:create"), {"q": "99999"})
    assert "Aucune collectivité du référentiel ne correspond" in page.text


def test_creating_without_choosing_asks_to_choose(client_of, staff, reference):
    page = client_of(staff).post(reverse("territory:create"), {"territory": "abc"})
    assert "Choisissez une collectivité" in page.text
    assert not Authority.objects.exists()


def test_a_duplicate_authority_is_refused_with_a_clear_message(
    client_of, staff, commune, reference
):
    page = client_of(staff).post(
        reverse("territory:create"), {"territory": reference["35288"].pk}
    )
    assert "existe déjà dans Parvis" in page.text
    assert Authority.objects.filter(code="35288").count() == 1


def test_a_territory_already_in_parvis_is_shown_but_cannot_be_chosen(
    client_of, staff, commune
):
    page = client_of(staff).get(reverse("territory:create"), {"q": "Saint-Malo"})
    assert "déjà dans Parvis" in page.text
    assert "disabled" in page.text


def test_only_installation_staff_may_create_authorities(client_of, editor, reference):
    response = client_of(editor).get(reverse("territory:create"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]

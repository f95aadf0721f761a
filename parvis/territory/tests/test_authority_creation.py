import pytest
from django.core.exceptions import ValidationError

from parvis.accounts.models import Membership
from parvis.accounts.roles import Role
from parvis.system.models import AuditEvent
from parvis.territory.models import Authority
from parvis.territory.services import authority_create

pytestmark = pytest.mark.django_db


def test_authority_is_created_from_the_reference_with_defaults_and_its_creator_as_admin(
    reference, staff
):
    authority = authority_create(territory_id=reference["35288"].pk, creator=staff)
    assert (authority.kind, authority.code, authority.name) == (
        "commune",
        "35288",
        "Saint-Malo",
    )
    assert authority.population == 47_439
    assert authority.audiences.count() == 7
    assert {a.slug for a in authority.audiences.all()} >= {"familles", "touristes"}
    assert authority.services.filter(name="Voirie et espaces publics").exists()
    assert authority.elections.filter(kind="presidentielle").exists()
    assert authority.report_categories.filter(code="nid-de-poule").exists()
    assert Membership.objects.get(authority=authority, user=staff).role == Role.ADMIN
    assert AuditEvent.objects.filter(authority=authority, action="authority.create")


def test_departement_gets_the_services_of_a_departement(reference, staff):
    authority = authority_create(territory_id=reference["33"].pk, creator=staff)
    assert authority.services.filter(name="Collèges").exists()
    assert authority.elections.filter(kind="departementales").exists()


def test_a_second_authority_for_the_same_territory_is_refused_in_french(
    reference, staff
):
    authority_create(territory_id=reference["35288"].pk, creator=staff)
    with pytest.raises(ValidationError, match="existe déjà"):
        authority_create(territory_id=reference["35288"].pk, creator=staff)
    assert Authority.objects.count() == 1


def test_an_unknown_territory_is_refused_and_nothing_is_saved(reference, staff):
    with pytest.raises(ValidationError, match="référentiel officiel"):
        authority_create(territory_id=999_999, creator=staff)
    assert Authority.objects.count() == 0

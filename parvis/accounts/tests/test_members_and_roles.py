import pytest
from django.core import mail
from django.urls import reverse

from parvis.accounts.models import Membership
from parvis.accounts.roles import Role
from parvis.system.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_login_by_email_is_case_insensitive(client, admin_user):
    response = client.post(
        reverse("accounts:login"),
        {
            "username": "ADMIN@Saint-Malo.example",
            "password": "correct-horse-battery-staple",
        },
    )
    assert response.status_code == 302


def test_a_wrong_password_gets_a_french_message(client, admin_user):
    page = client.post(
        reverse("accounts:login"), {"username": admin_user.email, "password": "non"}
    )
    assert "Adresse e-mail ou mot de passe incorrect" in page.text


def test_password_reset_sends_a_link(client, admin_user):
    client.post(reverse("accounts:password_reset"), {"email": admin_user.email})
    assert "/compte/mot-de-passe/nouveau/" in mail.outbox[-1].body


def test_admin_changes_a_role_and_it_is_audited(client_of, admin_user, editor, commune):
    membership = Membership.objects.get(user=editor, authority=commune)
    client_of(admin_user).post(
        reverse("accounts:member_edit", args=[commune.slug, membership.pk]),
        {"role": Role.VALIDATOR},
    )
    membership.refresh_from_db()
    assert membership.role == Role.VALIDATOR
    event = AuditEvent.objects.filter(target_id=str(membership.pk)).latest("id")
    assert event.changes == {"role": [Role.EDITOR, Role.VALIDATOR]}


def test_the_last_admin_cannot_step_down_or_be_removed(client_of, admin_user, commune):
    membership = Membership.objects.get(user=admin_user, authority=commune)
    client = client_of(admin_user)
    page = client.post(
        reverse("accounts:member_edit", args=[commune.slug, membership.pk]),
        {"role": Role.EDITOR},
    )
    assert "garder au moins une personne" in page.text
    client.post(reverse("accounts:member_remove", args=[commune.slug, membership.pk]))
    membership.refresh_from_db()
    assert membership.role == Role.ADMIN


def test_agency_user_sees_both_authorities_and_switches(
    client_of, agency, commune, other_authority
):
    client = client_of(agency)
    home = client.get(reverse("web:home"))
    assert "Saint-Malo" in home.text and "Lyon" in home.text
    page = client.get(reverse("web:dashboard", args=[other_authority.slug]))
    assert "Changer de collectivité" in page.text
    assert page.status_code == 200


def test_audit_log_is_visible_to_admins_not_to_editors(
    client_of, admin_user, editor, commune
):
    url = reverse("accounts:audit", args=[commune.slug])
    page = client_of(admin_user).get(url)
    assert "Collectivité créée depuis le référentiel" in page.text
    assert client_of(editor).get(url).status_code == 404

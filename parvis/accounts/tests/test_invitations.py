import re
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from parvis.accounts.models import Invitation, Membership, User
from parvis.accounts.roles import Role

pytestmark = pytest.mark.django_db


def invite(client, commune, email="nouvelle@saint-malo.example", role=Role.EDITOR):
    return client.post(
        reverse("accounts:members", args=[commune.slug]), {"email": email, "role": role}
    )


def link_in_last_mail() -> str:
    return re.search(r"https?://\S+/compte/invitation/\S+/", mail.outbox[-1].body)[0]


def test_admin_invites_by_email_and_the_link_creates_the_account(
    client_of, admin_user, commune, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = invite(client_of(admin_user), commune)
    assert response.status_code == 302
    assert mail.outbox[-1].to == ["nouvelle@saint-malo.example"]
    assert "Saint-Malo" in mail.outbox[-1].subject
    path = link_in_last_mail().split("8000", 1)[-1]
    client.logout()

    page = client.get(path)
    assert "Rejoindre Saint-Malo" in page.text
    response = client.post(
        path,
        {
            "full_name": "Nouvelle Recrue",
            "password1": "une-phrase-solide-2026",
            "password2": "une-phrase-solide-2026",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(email="nouvelle@saint-malo.example")
    assert Membership.objects.get(user=user, authority=commune).role == Role.EDITOR
    assert client.get(path).status_code == 404  # used once


def test_the_invitation_token_is_stored_only_as_a_hash(admin_user, commune):
    from parvis.accounts.services import invitation_create

    invitation, token = invitation_create(
        authority=commune, email="a@b.example", role=Role.AGENT, invited_by=admin_user
    )
    assert token not in invitation.token_hash
    assert len(invitation.token_hash) == 64


def test_an_invalid_token_gets_a_clear_french_page(client):
    page = client.get(reverse("accounts:invitation", args=["pas-un-vrai-jeton"]))
    assert page.status_code == 404
    assert "Ce lien d'invitation n'est pas valable" in page.text


def test_an_expired_invitation_cannot_be_accepted(client, admin_user, commune):
    from parvis.accounts.services import invitation_create

    invitation, token = invitation_create(
        authority=commune,
        email="late@b.example",
        role=Role.AGENT,
        invited_by=admin_user,
    )
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    page = client.get(reverse("accounts:invitation", args=[token]))
    assert page.status_code == 404


def test_mismatched_passwords_keep_the_invitation_pending(client, admin_user, commune):
    from parvis.accounts.services import invitation_create

    invitation, token = invitation_create(
        authority=commune, email="x@b.example", role=Role.AGENT, invited_by=admin_user
    )
    page = client.post(
        reverse("accounts:invitation", args=[token]),
        {"full_name": "X", "password1": "une-phrase-solide-2026", "password2": "autre"},
    )
    assert "Les deux mots de passe ne sont pas égaux" in page.text
    invitation.refresh_from_db()
    assert invitation.accepted_at is None
    assert not User.objects.filter(email="x@b.example").exists()


def test_inviting_a_current_member_is_refused(client_of, admin_user, editor, commune):
    page = invite(client_of(admin_user), commune, email=editor.email)
    assert "fait déjà partie de cette collectivité" in page.text
    assert not Invitation.objects.exists()


def test_an_invalid_email_is_refused_in_french(client_of, admin_user, commune):
    page = invite(client_of(admin_user), commune, email="pas-une-adresse")
    assert "Saisissez une adresse e-mail valide" in page.text


def test_an_editor_cannot_invite(client_of, editor, commune):
    response = invite(client_of(editor), commune)
    assert response.status_code == 404
    assert not Invitation.objects.exists()


def test_a_signed_in_user_accepts_an_invitation_for_their_own_address(
    client_of, outsider, admin_user, commune
):
    from parvis.accounts.services import invitation_create

    _, token = invitation_create(
        authority=commune,
        email=outsider.email,
        role=Role.VALIDATOR,
        invited_by=admin_user,
    )
    response = client_of(outsider).post(reverse("accounts:invitation", args=[token]))
    assert response.status_code == 302
    assert Membership.objects.get(user=outsider, authority=commune).role == "validator"

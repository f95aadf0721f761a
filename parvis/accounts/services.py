"""Writes of the accounts app: memberships and invitations."""

import hashlib
import secrets
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from parvis.accounts.models import Invitation, Membership, User
from parvis.accounts.roles import Role
from parvis.system.services import audit_record
from parvis.territory.models import Authority


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _role_label(role: str) -> str:
    return str(Role(role).label)


@transaction.atomic
def membership_set(
    *, authority: Authority, user: User, role: str, actor: Any
) -> Membership:
    membership, created = Membership.objects.get_or_create(
        authority=authority, user=user, defaults={"role": role}
    )
    before = membership.role
    if not created and before != role:
        _ensure_an_admin_remains(membership, new_role=role)
        membership.role = role
        membership.save(update_fields=["role"])
    if created or before != role:
        audit_record(
            actor=actor,
            authority=authority,
            action="membership.set",
            summary=f"{user.email} : {_role_label(role)}",
            target=membership,
            changes={} if created else {"role": [before, role]},
        )
    return membership


def _ensure_an_admin_remains(membership: Membership, *, new_role: str | None) -> None:
    if membership.role != Role.ADMIN or new_role == Role.ADMIN:
        return
    others = (
        Membership.objects.select_for_update()
        .filter(authority=membership.authority, role=Role.ADMIN)
        .exclude(pk=membership.pk)
    )
    if not others.exists():
        raise ValidationError(
            _(
                "La collectivité doit garder au moins une personne à l'administration : "
                "nommez d'abord un autre administrateur."
            )
        )


@transaction.atomic
def membership_remove(*, membership: Membership, actor: Any) -> None:
    _ensure_an_admin_remains(membership, new_role=None)
    audit_record(
        actor=actor,
        authority=membership.authority,
        action="membership.remove",
        summary=f"{membership.user.email} retiré·e de la collectivité",
        target=membership,
    )
    membership.delete()


@transaction.atomic
def invitation_create(
    *, authority: Authority, email: str, role: str, invited_by: User
) -> tuple[Invitation, str]:
    """Create an invitation and e-mail its link. Returns it with the clear token (only
    its hash is stored)."""
    email = email.strip().lower()
    if Membership.objects.filter(authority=authority, user__email=email).exists():
        raise ValidationError(
            _("%(email)s fait déjà partie de cette collectivité.") % {"email": email}
        )
    Invitation.objects.filter(
        authority=authority, email=email, accepted_at__isnull=True
    ).update(revoked_at=timezone.now())
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        authority=authority,
        email=email,
        role=role,
        token_hash=_hash_token(token),
        invited_by=invited_by,
        expires_at=timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS),
    )
    audit_record(
        actor=invited_by,
        authority=authority,
        action="invitation.create",
        summary=f"Invitation envoyée à {email} ({_role_label(role)})",
        target=invitation,
    )
    link = settings.SITE_URL + reverse("accounts:invitation", args=[token])
    context = {
        "authority": authority,
        "invitation": invitation,
        "link": link,
        "inviter": invited_by,
        "role_label": _role_label(role),
        "valid_days": settings.INVITATION_VALID_DAYS,
    }
    transaction.on_commit(
        lambda: send_mail(
            subject=_("Invitation à rejoindre %(name)s sur Parvis")
            % {"name": authority.name},
            message=render_to_string("accounts/email/invitation.txt", context),
            from_email=None,
            recipient_list=[email],
        )
    )
    return invitation, token


def invitation_for_token(token: str) -> Invitation | None:
    """The pending invitation behind a clear token, or None (unknown, used, expired)."""
    invitation = (
        Invitation.objects.select_related("authority")
        .filter(token_hash=_hash_token(token))
        .first()
    )
    if invitation is None or not invitation.is_pending:
        return None
    return invitation


@transaction.atomic
def invitation_accept(
    *,
    token: str,
    user: User | None = None,
    full_name: str = "",
    password: str = "",
) -> Membership:
    """Accept an invitation: as the signed-in `user`, or by creating the account of the
    invited address with `password`. Raises ValidationError when the token is not valid."""
    invitation = invitation_for_token(token)
    if invitation is None:
        raise ValidationError(
            _(
                "Ce lien d'invitation n'est pas valable : il a expiré, a déjà servi ou a "
                "été annulé. Demandez une nouvelle invitation."
            )
        )
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at is not None:
        raise ValidationError(_("Cette invitation a déjà été acceptée."))
    if user is None:
        if User.objects.filter(email=invitation.email).exists():
            # Never sign someone into an existing account from a link alone.
            raise ValidationError(
                _(
                    "Un compte existe déjà pour %(email)s : connectez-vous, puis "
                    "rouvrez le lien de l'invitation."
                )
                % {"email": invitation.email}
            )
        user = User.objects.create_user(
            invitation.email, password, full_name=full_name.strip()
        )
    elif user.email.lower() != invitation.email:
        raise ValidationError(
            _(
                "Cette invitation est adressée à %(email)s : connectez-vous avec ce "
                "compte pour l'accepter."
            )
            % {"email": invitation.email}
        )
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    return membership_set(
        authority=invitation.authority, user=user, role=invitation.role, actor=user
    )


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, actor: Any) -> None:
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    audit_record(
        actor=actor,
        authority=invitation.authority,
        action="invitation.revoke",
        summary=f"Invitation de {invitation.email} annulée",
        target=invitation,
    )

"""Reads of the accounts app."""

from typing import Any

from django.db.models import QuerySet

from parvis.accounts.models import Invitation, Membership
from parvis.territory.models import Authority


def memberships_of(*, user: Any) -> QuerySet[Membership]:
    if not getattr(user, "is_authenticated", False):
        return Membership.objects.none()
    return (
        Membership.objects.filter(user=user)
        .select_related("authority")
        .order_by("authority__name")
    )


def members_of(*, authority: Authority) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(authority=authority)
        .select_related("user")
        .order_by("user__full_name", "user__email")
    )


def pending_invitations_of(*, authority: Authority) -> list[Invitation]:
    invitations = Invitation.objects.filter(
        authority=authority, accepted_at__isnull=True, revoked_at__isnull=True
    ).select_related("invited_by")
    return [invitation for invitation in invitations if invitation.is_pending]


def user_exists(*, email: str) -> bool:
    from parvis.accounts.models import User

    return User.objects.filter(email=email.lower()).exists()

"""What every page's shell needs: the current authority, its theme, the switcher."""

from typing import Any

from django.http import HttpRequest

from parvis.accounts.roles import AUDIT_ROLES, MANAGE_ROLES
from parvis.accounts.selectors import memberships_of
from parvis.web.theme import theme_for


def shell(request: HttpRequest) -> dict[str, Any]:
    authority = getattr(request, "authority", None)
    membership = getattr(request, "membership", None)
    role = membership.role if membership else None
    return {
        "current_authority": authority,
        "current_role": role,
        "can_manage": role in MANAGE_ROLES,
        "can_audit": role in AUDIT_ROLES,
        "theme": theme_for(authority),
        "my_memberships": memberships_of(user=getattr(request, "user", None)),
        "unread_count": unread_notifications(getattr(request, "user", None)),
    }


def unread_notifications(user: Any) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    from parvis.system.models import Notification

    return Notification.objects.filter(user=user, read_at__isnull=True).count()

"""What every page of an authority needs from planning: the crisis under way, for
the banner of the page shell, and whether the member may start one (the menu)."""

from typing import Any

from django.http import HttpRequest

from parvis.planning.rules import URGENT_ROLES
from parvis.planning.selectors_crisis import active_crisis


def crisis(request: HttpRequest) -> dict[str, Any]:
    authority = getattr(request, "authority", None)
    membership = getattr(request, "membership", None)
    return {
        "active_crisis": active_crisis(authority=authority) if authority else None,
        "can_start_crisis": membership is not None and membership.role in URGENT_ROLES,
    }

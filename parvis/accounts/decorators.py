"""View decorator that resolves the authority of the URL through `access_authority`."""

from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest
from django.http.response import HttpResponseBase

from parvis.accounts.access import access_authority
from parvis.accounts.roles import ALL_ROLES


def authority_view(
    roles: Iterable[str] = ALL_ROLES,
) -> Callable[[Callable[..., HttpResponseBase]], Callable[..., HttpResponseBase]]:
    """Views under /c/<slug>/: login required, the user must be a member with one of
    `roles`, otherwise 404. Sets request.authority and request.membership."""
    allowed = frozenset(roles)

    def decorator(
        view: Callable[..., HttpResponseBase],
    ) -> Callable[..., HttpResponseBase]:
        @login_required
        @wraps(view)
        def wrapper(
            request: HttpRequest, slug: str, *args: Any, **kwargs: Any
        ) -> HttpResponseBase:
            authority, membership = access_authority(request.user, slug, allowed)
            request.authority = authority  # type: ignore[attr-defined]
            request.membership = membership  # type: ignore[attr-defined]
            return view(request, *args, **kwargs)

        return wrapper

    return decorator

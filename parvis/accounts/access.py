"""The only way to reach tenant data: every function takes the user and answers 404
(Http404) when the object is not in one of the user's authorities with a fitting role.

A user never learns whether an object of another authority exists: no 403, no data.
"""

from collections.abc import Iterable
from typing import Any

from django.db.models import Model
from django.http import Http404

from parvis.accounts.models import Invitation, Membership
from parvis.accounts.roles import ALL_ROLES
from parvis.territory.models import Audience, Authority, Election, Service


def membership_for(user: Any, authority_slug: str) -> Membership | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return (
        Membership.objects.select_related("authority")
        .filter(user=user, authority__slug=authority_slug)
        .first()
    )


def access_authority(
    user: Any, authority_slug: str, roles: Iterable[str] = ALL_ROLES
) -> tuple[Authority, Membership]:
    """The authority and the user's membership in it, or 404."""
    membership = membership_for(user, authority_slug)
    if membership is None or membership.role not in set(roles):
        raise Http404("No such authority for this user")
    return membership.authority, membership


def _owned(model: type[Model], authority: Authority, object_id: Any) -> Any:
    try:
        return model._default_manager.get(pk=int(object_id), authority=authority)
    except (model.DoesNotExist, ValueError, TypeError) as exc:  # type: ignore[attr-defined]
        raise Http404(f"No such {model._meta.model_name}") from exc


def access_audience(authority: Authority, audience_id: Any) -> Audience:
    return _owned(Audience, authority, audience_id)


def access_service(authority: Authority, service_id: Any) -> Service:
    return _owned(Service, authority, service_id)


def access_election(authority: Authority, election_id: Any) -> Election:
    return _owned(Election, authority, election_id)


def access_membership(authority: Authority, membership_id: Any) -> Membership:
    return _owned(Membership, authority, membership_id)


def access_invitation(authority: Authority, invitation_id: Any) -> Invitation:
    return _owned(Invitation, authority, invitation_id)


def access_publication(authority: Authority, publication_id: Any) -> Any:
    from parvis.publishing.models import Publication

    return _owned(Publication, authority, publication_id)


def access_partner(authority: Authority, partner_id: Any) -> Any:
    from parvis.studio.models import PartnerAccount

    return _owned(PartnerAccount, authority, partner_id)


def access_channel(authority: Authority, channel_id: Any) -> Any:
    from parvis.channels.models import Channel

    return _owned(Channel, authority, channel_id)

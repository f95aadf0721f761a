"""Channels of an authority: list with health, disconnect (connect flows: connect.py)."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from parvis.accounts import access
from parvis.accounts.decorators import authority_view
from parvis.accounts.roles import MANAGE_ROLES, Role
from parvis.channels import services
from parvis.channels.selectors import channels_of
from parvis.connectors.registry import NETWORKS
from parvis.territory.vocabularies import Network

CONNECTORS = {Role.ADMIN, Role.VALIDATOR, Role.EDITOR}


@authority_view()
def channel_list(request: HttpRequest) -> HttpResponse:
    authority = request.authority  # type: ignore[attr-defined]
    labels = dict(Network.choices)
    return render(
        request,
        "channels/channel_list.html",
        {
            "channels": channels_of(authority=authority),
            "networks": [(network, labels[network]) for network in NETWORKS],
            "can_connect": request.membership.role in CONNECTORS,  # type: ignore[attr-defined]
        },
    )


@authority_view(roles=MANAGE_ROLES)
@require_POST
def channel_disconnect(request: HttpRequest, pk: int) -> HttpResponse:
    authority = request.authority  # type: ignore[attr-defined]
    channel = access.access_channel(authority, pk)
    services.channel_disconnect(channel=channel, actor=request.user)
    messages.success(
        request, _("Compte %(channel)s déconnecté.") % {"channel": channel}
    )
    return redirect("channels:list", slug=authority.slug)

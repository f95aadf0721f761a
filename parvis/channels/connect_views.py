"""Views of the account-connection flows (logic in connect.py and services.py)."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from parvis.accounts.access import access_authority
from parvis.accounts.decorators import authority_view
from parvis.channels import connect
from parvis.channels.forms import (
    AccountChoiceForm,
    BlueskyForm,
    MastodonForm,
    OrganizationForm,
)
from parvis.channels.services import channel_connect
from parvis.channels.views import CONNECTORS
from parvis.connectors.errors import ConnectorError
from parvis.connectors.oauth import code_challenge, new_code_verifier, new_state
from parvis.territory.vocabularies import Network

NETWORKS = dict(Network.choices)


def _failed(request: HttpRequest, error: Exception) -> None:
    message = getattr(error, "message", "") or str(error)
    messages.error(
        request,
        _("La connexion du compte n'a pas abouti. Réponse du réseau : « %(msg)s ».")
        % {"msg": message},
    )


def _connected(request: HttpRequest, authority, network, credentials) -> HttpResponse:
    try:
        credentials, account = connect.verified_account(network, credentials)
    except ConnectorError as error:
        _failed(request, error)
        return redirect("channels:list", slug=authority.slug)
    channel = channel_connect(
        authority=authority,
        network=network,
        credentials=credentials,
        account=account,
        actor=request.user,
    )
    messages.success(request, _("Compte %(channel)s connecté.") % {"channel": channel})
    return redirect("channels:list", slug=authority.slug)


def _start_oauth(
    request: HttpRequest, authority, network, *, base_url=""
) -> HttpResponse:
    flow = connect.oauth_flow(network, base_url=base_url)
    state, verifier = new_state(), new_code_verifier()
    connect.remember(
        request.session,
        state,
        connect.PendingConnection(
            authority_slug=authority.slug,
            network=network,
            code_verifier=verifier,
            base_url=base_url,
        ),
    )
    return redirect(
        flow.authorization_url(state=state, code_challenge=code_challenge(verifier))
    )


@authority_view(roles=CONNECTORS)
def channel_connect_start(request: HttpRequest, network: str) -> HttpResponse:
    authority = request.authority  # type: ignore[attr-defined]
    if network not in NETWORKS:
        raise Http404("unknown network")
    form: MastodonForm | BlueskyForm | None = None
    configured = True
    if network == "mastodon":
        form = MastodonForm(request.POST or None)
    elif network == "bluesky":
        form = BlueskyForm(request.POST or None)
    else:
        configured = connect.app_client(network) is not None
    if request.method == "POST":
        try:
            if network == "mastodon" and form is not None and form.is_valid():
                from parvis.connectors.mastodon.oauth import instance_base_url

                base_url = instance_base_url(form.cleaned_data["instance"])
                return _start_oauth(request, authority, network, base_url=base_url)
            if network == "bluesky" and form is not None and form.is_valid():
                from parvis.connectors.bluesky.oauth import (
                    AppPasswordLogin,
                    pds_base_url,
                )

                login = AppPasswordLogin(
                    http=connect.user_address_client(),
                    pds_url=pds_base_url(form.cleaned_data["pds"]),
                )
                credentials = login.login(
                    identifier=form.cleaned_data["identifier"],
                    app_password=form.cleaned_data["app_password"],
                )
                return _connected(request, authority, network, credentials)
            if form is None and configured:
                return _start_oauth(request, authority, network)
        except ConnectorError as error:
            if form is not None:
                form.add_error(None, getattr(error, "message", str(error)))
            else:
                _failed(request, error)
    return render(
        request,
        "channels/connect.html",
        {
            "network": network,
            "network_label": NETWORKS[network],
            "form": form,
            "configured": configured,
            "redirect_uri": connect.redirect_uri(network),
        },
    )


def channel_callback(request: HttpRequest, network: str) -> HttpResponse:
    """Where the network sends the browser back (one fixed address per network)."""
    pending = connect.recall(request.session, request.GET.get("state", ""))
    if pending is None or pending.network != network:
        return render(request, "channels/callback_invalid.html", status=400)
    authority, _membership = access_authority(
        request.user, pending.authority_slug, CONNECTORS
    )
    if request.GET.get("error"):
        messages.error(
            request,
            _("Connexion refusée ou annulée sur %(network)s.")
            % {"network": NETWORKS[network]},
        )
        return redirect("channels:list", slug=authority.slug)
    try:
        flow = connect.oauth_flow(network, base_url=pending.base_url)
        credentials = flow.exchange_code(
            code=request.GET.get("code", ""), code_verifier=pending.code_verifier
        )
    except (ConnectorError, LookupError) as error:
        _failed(request, error)
        return redirect("channels:list", slug=authority.slug)
    if network in {"facebook", "instagram", "linkedin"}:
        state = new_state()
        connect.remember(
            request.session,
            state,
            connect.PendingConnection(
                authority_slug=authority.slug,
                network=network,
                user_credentials=connect.encrypt_credentials(credentials),
            ),
        )
        return redirect("channels:choose", slug=authority.slug, state=state)
    return _connected(request, authority, network, credentials)


@authority_view(roles=CONNECTORS)
def channel_choose(request: HttpRequest, state: str) -> HttpResponse:
    """Which Page (Facebook, Instagram) or organisation (LinkedIn) to connect."""
    authority = request.authority  # type: ignore[attr-defined]
    pending = connect.recall(request.session, state, forget=False)
    if pending is None or pending.authority_slug != authority.slug:
        raise Http404("no pending connection")
    user_credentials = pending.credentials()
    form: AccountChoiceForm | OrganizationForm
    try:
        if pending.network == "linkedin":
            form = OrganizationForm(request.POST or None)
        else:
            flow = connect.oauth_flow(pending.network)
            accounts = flow.accounts(user_credentials)
            form = AccountChoiceForm(
                request.POST or None,
                choices=[(a.account_id, a.display_name or a.handle) for a in accounts],
            )
        if request.method == "POST" and form.is_valid():
            connect.recall(request.session, state)
            if pending.network == "linkedin":
                import dataclasses

                credentials = dataclasses.replace(
                    user_credentials,
                    account_id=form.cleaned_data["organization_id"],
                )
            else:
                credentials = flow.select(
                    user_credentials, form.cleaned_data["account"]
                )
            return _connected(request, authority, pending.network, credentials)
    except ConnectorError as error:
        _failed(request, error)
        return redirect("channels:list", slug=authority.slug)
    return render(
        request,
        "channels/choose.html",
        {"form": form, "network_label": NETWORKS[pending.network]},
    )

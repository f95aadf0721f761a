"""Connecting an account: one entry per network, the OAuth 2 round trip, the choice of
a Page or an organisation where the login gives access to several.

What must survive the round trip (state, PKCE verifier, the authority) lives in the
session under the state; tokens waiting for a choice are encrypted there too."""

import dataclasses
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.urls import reverse

from parvis.channels.crypto import decrypt_json, encrypt_json
from parvis.channels.models import MastodonApp
from parvis.channels.services import credentials_from_dict, credentials_to_dict
from parvis.connectors.base import AccountInfo, Credentials
from parvis.connectors.oauth import OAuthClient
from parvis.connectors.registry import connector_class
from parvis.connectors.safety import user_address_client

SESSION_KEY = "parvis_channel_connections"
OAUTH_NETWORKS = ("x", "linkedin", "facebook", "instagram")


@dataclass(frozen=True)
class PendingConnection:
    authority_slug: str
    network: str
    code_verifier: str = ""
    base_url: str = ""  # Mastodon instance
    user_credentials: str = ""  # encrypted, while a Page/organisation is chosen

    def credentials(self) -> Credentials:
        return credentials_from_dict(decrypt_json(self.user_credentials))


def redirect_uri(network: str) -> str:
    return settings.SITE_URL + reverse("channels:callback", args=[network])


def app_client(network: str) -> OAuthClient | None:
    """The application the installation registered with `network`, if any."""
    client_id, secret = {
        "x": (settings.X_CLIENT_ID, settings.X_CLIENT_SECRET),
        "linkedin": (settings.LINKEDIN_CLIENT_ID, settings.LINKEDIN_CLIENT_SECRET),
        "facebook": (settings.META_APP_ID, settings.META_APP_SECRET),
        "instagram": (settings.META_APP_ID, settings.META_APP_SECRET),
    }.get(network, ("", ""))
    if not client_id:
        return None
    return OAuthClient(client_id, secret, redirect_uri(network))


def oauth_flow(network: str, *, base_url: str = "") -> Any:
    """The OAuth flow object of a network (Mastodon: of one instance)."""
    http = user_address_client()
    if network == "mastodon":
        from parvis.connectors.mastodon.oauth import MastodonOAuth

        return MastodonOAuth(base_url, mastodon_app(base_url, http), http)
    client = app_client(network)
    if client is None:
        raise LookupError(f"no application registered with {network}")
    if network == "x":
        from parvis.connectors.x.oauth import XOAuth

        return XOAuth(client, http)
    if network == "linkedin":
        from parvis.connectors.linkedin.oauth import LinkedInOAuth

        return LinkedInOAuth(client, http)
    if network == "facebook":
        from parvis.connectors.facebook.oauth import FacebookOAuth

        return FacebookOAuth(client, http, config_id=settings.META_LOGIN_CONFIG_ID)
    from parvis.connectors.instagram.oauth import InstagramOAuth

    return InstagramOAuth(client, http, config_id=settings.META_LOGIN_CONFIG_ID)


def mastodon_app(base_url: str, http: Any) -> OAuthClient:
    """Parvis's application on this instance, registered the first time it is used,
    and again when the connector needs scopes it was not registered with (an account
    connected before crisis pinning existed lacks write:accounts)."""
    from parvis.connectors.mastodon.oauth import SCOPES, register_app

    scopes = " ".join(SCOPES)
    callback = redirect_uri("mastodon")
    app = MastodonApp.objects.filter(instance_url=base_url).first()
    if app is None or app.scopes != scopes or app.redirect_uri != callback:
        client = register_app(
            http,
            base_url=base_url,
            client_name="Parvis",
            redirect_uri=callback,
            website=settings.SITE_URL,
        )
        app, _ = MastodonApp.objects.update_or_create(
            instance_url=base_url,
            defaults={
                "client_id": client.client_id,
                "client_secret_encrypted": encrypt_json(
                    {"secret": client.client_secret}
                ),
                "redirect_uri": client.redirect_uri,
                "scopes": scopes,
            },
        )
    return OAuthClient(
        app.client_id,
        decrypt_json(app.client_secret_encrypted)["secret"],
        app.redirect_uri,
    )


def verified_account(network: str, credentials: Credentials) -> tuple[Credentials, Any]:
    """Ask the network who this is; returns the credentials and the AccountInfo."""
    with connector_class(network)(credentials, http=user_address_client()) as connector:
        account: AccountInfo = connector.verify()
    return dataclasses.replace(
        credentials, account_id=credentials.account_id or account.account_id
    ), account


def remember(session: Any, state: str, pending: PendingConnection) -> None:
    connections = dict(session.get(SESSION_KEY, {}))
    connections[state] = dataclasses.asdict(pending)
    # Only the latest few round trips are kept.
    session[SESSION_KEY] = dict(list(connections.items())[-5:])


def recall(
    session: Any, state: str, *, forget: bool = True
) -> PendingConnection | None:
    connections = dict(session.get(SESSION_KEY, {}))
    data = connections.pop(state, None) if forget else connections.get(state)
    session[SESSION_KEY] = connections
    return PendingConnection(**data) if data else None


def encrypt_credentials(credentials: Credentials) -> str:
    return encrypt_json(credentials_to_dict(credentials))

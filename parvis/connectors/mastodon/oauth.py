"""Connecting a Mastodon account. The user names an instance; Parvis registers itself
there (POST /api/v1/apps, once per instance, the client kept for the next accounts),
then runs the OAuth 2 authorization code flow with PKCE S256 (Mastodon 4.3+).

Mastodon tokens do not expire and come without refresh token (entities/Token): a
revoked token surfaces as AuthExpired and the account is connected again.

Docs: https://docs.joinmastodon.org/methods/apps/#create,
https://docs.joinmastodon.org/methods/oauth/, https://docs.joinmastodon.org/entities/Token/
"""

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import httpx

from parvis.connectors.base import Credentials
from parvis.connectors.errors import RateLimited, Rejected, Unavailable, Unsupported
from parvis.connectors.mastodon import parse
from parvis.connectors.oauth import (
    OAuthClient,
    authorization_query,
    public_https_base_url,
)

# Granular scopes, the least the connector needs (api/oauth-scopes).
SCOPES = (
    "read:accounts",
    "read:statuses",
    "read:notifications",
    "write:statuses",
    "write:media",
    # Pinning the alert of crisis mode (methods/statuses#pin).
    "write:accounts",
)


def instance_base_url(name: str) -> str:
    """ "social.saint-malo.fr", "https://social.saint-malo.fr/" or a handle
    "@ville@social.saint-malo.fr" -> "https://social.saint-malo.fr".

    The address comes from a user and Parvis is about to call it: anything but a
    public host name over https (IP address, localhost, port, path) is refused."""
    value = name.strip()
    if value.startswith("@") or ("@" in value and "://" not in value):
        value = value.rsplit("@", 1)[-1]
    return public_https_base_url(value, what="d'instance Mastodon", typed=name)


def register_app(
    http: httpx.Client,
    *,
    base_url: str,
    client_name: str,
    redirect_uri: str,
    website: str = "",
    scopes: tuple[str, ...] = SCOPES,
) -> OAuthClient:
    """Register Parvis as a client application of the instance (methods/apps)."""
    body: dict[str, Any] = {
        "client_name": client_name,
        "redirect_uris": [redirect_uri],
        "scopes": " ".join(scopes),
    }
    if website:
        body["website"] = website
    app = _send(http, "POST", f"{base_url}/api/v1/apps", json=body)
    return OAuthClient(
        client_id=app["client_id"],
        client_secret=app["client_secret"],
        redirect_uri=redirect_uri,
    )


@dataclass(frozen=True)
class MastodonOAuth:
    """The OAuthFlow of one instance, with the client registered there."""

    base_url: str
    client: OAuthClient
    http: httpx.Client
    scopes: tuple[str, ...] = SCOPES

    def authorization_url(self, *, state: str, code_challenge: str) -> str:
        query = authorization_query(
            self.client, scopes=self.scopes, state=state, code_challenge=code_challenge
        )
        query["lang"] = "fr"
        return f"{self.base_url}/oauth/authorize?{urlencode(query)}"

    def exchange_code(self, *, code: str, code_verifier: str) -> Credentials:
        token = _send(
            self.http,
            "POST",
            f"{self.base_url}/oauth/token",
            data={
                "grant_type": "authorization_code",
                "code": code,
                "client_id": self.client.client_id,
                "client_secret": self.client.client_secret,
                "redirect_uri": self.client.redirect_uri,
                "code_verifier": code_verifier,
            },
        )
        return Credentials(
            access_token=token["access_token"],
            base_url=self.base_url,
            extra={"scope": str(token.get("scope") or "")},
        )

    def refresh(self, credentials: Credentials) -> Credentials:
        raise Unsupported(
            "mastodon: tokens do not expire and have no refresh token; reconnect"
        )


def _send(http: httpx.Client, method: str, url: str, **kwargs: Any) -> dict[str, Any]:
    """One request of the connection flow; failures mapped to the error tree. An
    OAuth refusal (invalid_grant, invalid_client...) is Rejected: the user starts
    the connection again."""
    try:
        response = http.request(method, url, **kwargs)
    except httpx.HTTPError as exc:
        raise Unavailable(f"mastodon: {type(exc).__name__}") from exc
    if response.is_success:
        return response.json()
    try:
        body = response.json()
    except ValueError:
        body = None
    message = parse.error_message(body) or f"HTTP {response.status_code}"
    code = str(body.get("error", "")) if isinstance(body, dict) else ""
    status = response.status_code
    if status == 429:
        wait = parse.seconds_until_reset(response.headers)
        raise RateLimited(message, status=status, retry_after=wait or 60.0)
    if status >= 500:
        raise Unavailable(message, status=status)
    raise Rejected(message, status=status, network_code=code)

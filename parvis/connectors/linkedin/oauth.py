"""Connecting a LinkedIn organization page: three-legged OAuth 2.0.

https://learn.microsoft.com/en-us/linkedin/shared/authentication/authorization-code-flow
The member who connects must administer the page; the page itself (the organization
id stored as `Credentials.account_id`) is chosen afterwards.

LinkedIn's web flow has no PKCE (it is reserved to native applications approved for
it): the client secret authenticates the exchange and `state` guards against CSRF.
The `code_challenge` and `code_verifier` of the OAuthFlow interface are ignored.
"""

import datetime as dt
import json
from collections.abc import Callable
from typing import Any
from urllib.parse import quote, urlencode

import httpx

from parvis.connectors.base import Credentials
from parvis.connectors.errors import (
    AuthExpired,
    ConnectorError,
    RateLimited,
    Rejected,
    Unavailable,
)
from parvis.connectors.linkedin import parse
from parvis.connectors.oauth import OAuthClient

AUTHORIZE_URL = "https://www.linkedin.com/oauth/v2/authorization"
TOKEN_URL = "https://www.linkedin.com/oauth/v2/accessToken"  # noqa: S105 (an address)
# Community Management API: post and read as the organization, read the page itself.
SCOPES = ("w_organization_social", "r_organization_social", "rw_organization_admin")


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class LinkedInOAuth:
    """The OAuthFlow of LinkedIn, for the application registered with LinkedIn."""

    scopes: tuple[str, ...] = SCOPES

    def __init__(
        self,
        client: OAuthClient,
        http: httpx.Client,
        *,
        now: Callable[[], dt.datetime] = utc_now,
    ) -> None:
        self.client = client
        self.http = http
        self.now = now

    def authorization_url(self, *, state: str, code_challenge: str = "") -> str:
        query = urlencode(
            {
                "response_type": "code",
                "client_id": self.client.client_id,
                "redirect_uri": self.client.redirect_uri,
                "state": state,
                "scope": " ".join(self.scopes),
            },
            quote_via=quote,
        )
        return f"{AUTHORIZE_URL}?{query}"

    def exchange_code(self, *, code: str, code_verifier: str = "") -> Credentials:
        body = self._token(
            {
                "grant_type": "authorization_code",
                "code": code,
                "redirect_uri": self.client.redirect_uri,
            }
        )
        return parse.credentials(body, now=self.now())

    def refresh(self, credentials: Credentials) -> Credentials:
        if not credentials.refresh_token:
            # Applications without programmatic refresh tokens must reconnect.
            raise AuthExpired("LinkedIn : reconnectez la page, l'accès a expiré.")
        body = self._token(
            {"grant_type": "refresh_token", "refresh_token": credentials.refresh_token}
        )
        return parse.credentials(body, now=self.now(), previous=credentials)

    def _token(self, form: dict[str, str]) -> Any:
        form = {
            **form,
            "client_id": self.client.client_id,
            "client_secret": self.client.client_secret,
        }
        try:
            response = self.http.post(TOKEN_URL, data=form)
        except httpx.HTTPError as exc:
            raise Unavailable(
                f"linkedin: token endpoint unreachable ({type(exc).__name__})"
            ) from exc
        if response.is_success:
            return response.json()
        raise token_error(response)


def token_error(response: httpx.Response) -> ConnectorError:
    """A refused code or refresh token means the page must be connected again."""
    try:
        body = response.json()
    except json.JSONDecodeError:
        body = None
    status = response.status_code
    message = parse.error_message(body) or f"HTTP {status}"
    code = parse.error_code(body)
    if status in (400, 401):
        return AuthExpired(message, status=status, network_code=code)
    if status == 429:
        return RateLimited(message, status=status, retry_after=60.0, network_code=code)
    if status >= 500:
        return Unavailable(message, status=status, network_code=code)
    return Rejected(message, status=status, network_code=code)

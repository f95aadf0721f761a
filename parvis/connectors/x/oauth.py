"""Connecting an X account: OAuth 2.0 Authorization Code Flow with PKCE (S256).

https://docs.x.com/fundamentals/authentication/oauth-2-0/user-access-token
The `offline.access` scope is what makes X issue a refresh token; without it the
access token dies after two hours.
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
from parvis.connectors.oauth import OAuthClient
from parvis.connectors.x import parse

AUTHORIZE_URL = "https://x.com/i/oauth2/authorize"
TOKEN_URL = "https://api.x.com/2/oauth2/token"  # noqa: S105 (an address, not a secret)
SCOPES = ("tweet.read", "tweet.write", "users.read", "offline.access", "media.write")


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class XOAuth:
    """The OAuthFlow of X, for the application registered in the X developer console."""

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

    def authorization_url(self, *, state: str, code_challenge: str) -> str:
        query = urlencode(
            {
                "response_type": "code",
                "client_id": self.client.client_id,
                "redirect_uri": self.client.redirect_uri,
                "scope": " ".join(self.scopes),
                "state": state,
                "code_challenge": code_challenge,
                "code_challenge_method": "S256",
            },
            quote_via=quote,
        )
        return f"{AUTHORIZE_URL}?{query}"

    def exchange_code(self, *, code: str, code_verifier: str) -> Credentials:
        body = self._token(
            {
                "grant_type": "authorization_code",
                "code": code,
                "redirect_uri": self.client.redirect_uri,
                "code_verifier": code_verifier,
            }
        )
        return parse.credentials(body, now=self.now())

    def refresh(self, credentials: Credentials) -> Credentials:
        if not credentials.refresh_token:
            raise AuthExpired(
                "X : pas de jeton de renouvellement, reconnectez le compte."
            )
        body = self._token(
            {"grant_type": "refresh_token", "refresh_token": credentials.refresh_token}
        )
        return parse.credentials(body, now=self.now(), previous=credentials)

    def _token(self, form: dict[str, str]) -> Any:
        auth: httpx.BasicAuth | None = None
        if self.client.client_secret:
            # A confidential client authenticates with HTTP Basic, per the docs.
            auth = httpx.BasicAuth(self.client.client_id, self.client.client_secret)
        else:
            form = {**form, "client_id": self.client.client_id}
        try:
            response = self.http.post(
                TOKEN_URL, data=form, auth=auth or httpx.USE_CLIENT_DEFAULT
            )
        except httpx.HTTPError as exc:
            raise Unavailable(
                f"x: token endpoint unreachable ({type(exc).__name__})"
            ) from exc
        if response.is_success:
            return response.json()
        raise token_error(response)


def token_error(response: httpx.Response) -> ConnectorError:
    """A refused code or refresh token means the account must be connected again."""
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

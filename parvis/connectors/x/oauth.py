"""Connecting an X account: OAuth 2.0 Authorization Code Flow with PKCE (S256).

https://docs.x.com/fundamentals/authentication/oauth-2-0/user-access-token
The `offline.access` scope is what makes X issue a refresh token; without it the
access token dies after two hours.
"""

from typing import Any
from urllib.parse import quote, urlencode

import httpx

from parvis.connectors.base import Credentials
from parvis.connectors.errors import AuthExpired
from parvis.connectors.oauth import (
    RegisteredClientFlow,
    authorization_query,
    post_token,
)
from parvis.connectors.x import parse

AUTHORIZE_URL = "https://x.com/i/oauth2/authorize"
TOKEN_URL = "https://api.x.com/2/oauth2/token"  # noqa: S105 (an address, not a secret)
SCOPES = (
    "tweet.read",
    "tweet.write",
    "users.read",
    "offline.access",
    "media.write",
    "tweet.moderate.write",  # hiding replies under the account's posts
)


class XOAuth(RegisteredClientFlow):
    """The OAuthFlow of X, for the application registered in the X developer console."""

    scopes: tuple[str, ...] = SCOPES

    def authorization_url(self, *, state: str, code_challenge: str) -> str:
        query = authorization_query(
            self.client, scopes=self.scopes, state=state, code_challenge=code_challenge
        )
        return f"{AUTHORIZE_URL}?{urlencode(query, quote_via=quote)}"

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
        return post_token(
            self.http, TOKEN_URL, form, network="x", errors=parse, auth=auth
        )

"""Connecting a LinkedIn organization page: three-legged OAuth 2.0.

https://learn.microsoft.com/en-us/linkedin/shared/authentication/authorization-code-flow
The member who connects must administer the page; the page itself (the organization
id stored as `Credentials.account_id`) is chosen afterwards.

LinkedIn's web flow has no PKCE (it is reserved to native applications approved for
it): the client secret authenticates the exchange and `state` guards against CSRF.
The `code_challenge` and `code_verifier` of the OAuthFlow interface are ignored.
"""

from typing import Any
from urllib.parse import quote, urlencode

from parvis.connectors.base import Credentials
from parvis.connectors.errors import AuthExpired
from parvis.connectors.linkedin import parse
from parvis.connectors.oauth import (
    RegisteredClientFlow,
    authorization_query,
    post_token,
)

AUTHORIZE_URL = "https://www.linkedin.com/oauth/v2/authorization"
TOKEN_URL = "https://www.linkedin.com/oauth/v2/accessToken"  # noqa: S105 (an address)
# Community Management API: post and read as the organization, read the page itself.
SCOPES = ("w_organization_social", "r_organization_social", "rw_organization_admin")


class LinkedInOAuth(RegisteredClientFlow):
    """The OAuthFlow of LinkedIn, for the application registered with LinkedIn."""

    scopes: tuple[str, ...] = SCOPES

    def authorization_url(self, *, state: str, code_challenge: str = "") -> str:
        query = authorization_query(self.client, scopes=self.scopes, state=state)
        return f"{AUTHORIZE_URL}?{urlencode(query, quote_via=quote)}"

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
        return post_token(self.http, TOKEN_URL, form, network="linkedin", errors=parse)

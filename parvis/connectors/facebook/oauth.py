"""Connecting a Facebook Page: Facebook Login, then the Page's own token.

1. `authorization_url`: the Login dialog https://www.facebook.com/{version}/dialog/oauth
   with `state` (checked by the caller on return).
2. `exchange_code`: code -> short-lived user token (GET /oauth/access_token), then
   -> long-lived user token (grant_type=fb_exchange_token, about 60 days).
3. `accounts`: the Pages this person manages (GET /me/accounts), for the choice.
4. `select`: the chosen Page's credentials. A Page token obtained with a long-lived
   user token has no expiry date, so there is nothing to refresh afterwards.

No PKCE: Meta documents it only for its OIDC login flow, still marked "in testing"; the
documented server-side flow authenticates the app with its secret instead.
Docs: https://developers.facebook.com/docs/facebook-login/guides/advanced/manual-flow,
https://developers.facebook.com/docs/facebook-login/guides/access-tokens/get-long-lived
"""

import datetime as dt
from collections.abc import Callable
from typing import Any, ClassVar
from urllib.parse import urlencode

import httpx

from parvis.connectors.base import (
    DEFAULT_TIMEOUT,
    AccountInfo,
    Credentials,
    json_or_none,
    utc_now,
)
from parvis.connectors.errors import Rejected, Unavailable, Unsupported
from parvis.connectors.facebook import parse
from parvis.connectors.facebook.connector import GRAPH_URL, GRAPH_VERSION
from parvis.connectors.oauth import OAuthClient

DIALOG_URL = f"https://www.facebook.com/{GRAPH_VERSION}/dialog/oauth"


class MetaLogin:
    """Facebook Login shared by the Facebook and Instagram connections.

    `config_id` replaces `scope` when the app uses a Facebook Login for Business
    configuration (the permissions are then chosen in the App Dashboard)."""

    scopes: ClassVar[tuple[str, ...]] = ()
    page_fields: ClassVar[str] = "id,name,access_token"

    def __init__(
        self,
        client: OAuthClient,
        http: httpx.Client | None = None,
        *,
        config_id: str = "",
        clock: Callable[[], dt.datetime] = utc_now,
    ) -> None:
        self.client = client
        self.http = http or httpx.Client(timeout=DEFAULT_TIMEOUT)
        self.config_id = config_id
        self.clock = clock

    def authorization_url(self, *, state: str, code_challenge: str = "") -> str:
        """The Login dialog URL. `code_challenge` is accepted for the OAuthFlow
        protocol and not sent (see the module docstring)."""
        params = {
            "client_id": self.client.client_id,
            "redirect_uri": self.client.redirect_uri,
            "state": state,
            "response_type": "code",
        }
        if self.config_id:
            params["config_id"] = self.config_id
        else:
            params["scope"] = ",".join(self.scopes)
        return f"{DIALOG_URL}?{urlencode(params)}"

    def exchange_code(self, *, code: str, code_verifier: str = "") -> Credentials:
        """The person's long-lived user token; `accounts` and `select` turn it into
        the credentials of one account."""
        short = self._get(
            "oauth/access_token",
            client_id=self.client.client_id,
            redirect_uri=self.client.redirect_uri,
            client_secret=self.client.client_secret,
            code=code,
        )
        short_token, _ = parse.token(short, self.clock())
        long = self._get(
            "oauth/access_token",
            grant_type="fb_exchange_token",
            client_id=self.client.client_id,
            client_secret=self.client.client_secret,
            fb_exchange_token=short_token,
        )
        access_token, expires_at = parse.token(long, self.clock())
        return Credentials(access_token=access_token, expires_at=expires_at)

    def refresh(self, credentials: Credentials) -> Credentials:
        raise Unsupported(
            "Meta n'a pas de jeton de rafraîchissement : reconnectez le compte."
        )

    def pages(self, user: Credentials) -> list[parse.PageChoice]:
        body = self._get(
            "me/accounts", fields=self.page_fields, access_token=user.access_token
        )
        return parse.page_choices(body)

    def _get(self, path: str, **params: str) -> Any:
        try:
            response = self.http.get(f"{GRAPH_URL}/{path}", params=params)
        except httpx.HTTPError as exc:
            # Only GETs here: nothing is created, so trying again is safe.
            raise Unavailable(f"facebook: {type(exc).__name__}") from exc
        body = json_or_none(response)
        if response.is_success:
            return body
        raise parse.error_for(response.status_code, body, response.headers, None)


class FacebookOAuth(MetaLogin):
    """The account-connection flow for a Facebook Page."""

    scopes = (
        "pages_show_list",
        "pages_read_engagement",
        "pages_manage_posts",
        "pages_manage_engagement",  # first comment, answers and hiding, as the Page
        "pages_read_user_content",  # the comments people write under the Page's posts
        "pages_manage_metadata",  # the Page's `feed` webhook subscription
        "read_insights",  # the views, viewers and clicks of the Page's posts
    )

    def accounts(self, user: Credentials) -> list[AccountInfo]:
        """The Pages this person can connect."""
        return [
            AccountInfo(
                account_id=page.page_id, handle=page.name, display_name=page.name
            )
            for page in self.pages(user)
        ]

    def select(self, user: Credentials, account_id: str) -> Credentials:
        """Credentials of the Page `account_id`, acting as that Page."""
        for page in self.pages(user):
            if page.page_id == account_id and page.access_token:
                return Credentials(
                    access_token=page.access_token,
                    account_id=page.page_id,
                    extra={"page_name": page.name},
                )
        raise Rejected("Cette Page n'est pas gérée par le compte Facebook connecté.")

"""What every network's OAuth 2 flow shares: PKCE, state, the flow interface, the
checks of an address a user types, and the token endpoint of networks where Parvis
registers one application (X, LinkedIn).

Each network package has an `oauth.py` with a class implementing `OAuthFlow`; the
channels app drives it (redirect to `authorization_url`, then `exchange_code`).
"""

import base64
import dataclasses
import datetime as dt
import hashlib
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar, Protocol
from urllib.parse import urlsplit

import httpx

from parvis.connectors.base import Connector, Credentials, json_or_none, utc_now
from parvis.connectors.errors import (
    AuthExpired,
    ConnectorError,
    RateLimited,
    Rejected,
    Unavailable,
    Unsupported,
)

HOST_NAME = re.compile(
    r"^(?=.{4,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$"
)


@dataclass(frozen=True)
class OAuthClient:
    """The application registered with the network (from settings, or registered on
    the fly on a Mastodon instance)."""

    client_id: str
    client_secret: str
    redirect_uri: str


def new_state() -> str:
    return secrets.token_urlsafe(24)


def new_code_verifier() -> str:
    """RFC 7636: 43-128 characters from the unreserved set."""
    return secrets.token_urlsafe(64)[:96]


def code_challenge(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


class OAuthFlow(Protocol):
    scopes: tuple[str, ...]

    def authorization_url(self, *, state: str, code_challenge: str) -> str: ...

    def exchange_code(self, *, code: str, code_verifier: str) -> Credentials: ...

    def refresh(self, credentials: Credentials) -> Credentials: ...


def authorization_query(
    client: OAuthClient,
    *,
    scopes: tuple[str, ...],
    state: str,
    code_challenge: str | None = None,
) -> dict[str, str]:
    """The query of an authorization request (RFC 6749 4.1.1), with the PKCE S256
    challenge unless `code_challenge` is None (RFC 7636 4.3)."""
    query = {
        "response_type": "code",
        "client_id": client.client_id,
        "redirect_uri": client.redirect_uri,
        "scope": " ".join(scopes),
        "state": state,
    }
    if code_challenge is not None:
        query["code_challenge"] = code_challenge
        query["code_challenge_method"] = "S256"
    return query


def public_https_base_url(address: str, *, what: str, typed: str = "") -> str:
    """ "pds.saint-malo.fr" or "https://pds.saint-malo.fr/" -> "https://pds.saint-malo.fr".

    The address comes from a user (a Mastodon instance, a Bluesky PDS) and Parvis is
    about to call it: anything but a public host name over https (IP address,
    localhost, port, path, query) is Rejected with "Adresse <what> invalide : <typed>."
    (`typed`, what the user wrote, is `address` unless given)."""
    value = address.strip()
    problem = f"Adresse {what} invalide : {typed or address!r}."
    if "://" in value:
        parts = urlsplit(value)
        if parts.scheme != "https" or parts.path not in ("", "/") or parts.query:
            raise Rejected(problem)
        value = parts.netloc
    try:
        host = value.rstrip(".").encode("idna").decode("ascii").lower()
    except UnicodeError:
        host = ""
    if not HOST_NAME.match(host):
        raise Rejected(problem)
    return f"https://{host}"


# -- networks with one registered application (X, LinkedIn) --------------------------
class ErrorReader(Protocol):
    """What reads a network's error bodies: its `parse` module."""

    def error_message(self, body: Any) -> str: ...

    def error_code(self, body: Any) -> str: ...


class RegisteredClientFlow:
    """Base of the OAuthFlows that use the application Parvis registered with the
    network: its client, the HTTP client, and a clock for expiry dates."""

    scopes: tuple[str, ...] = ()

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

    def refresh(self, credentials: Credentials) -> Credentials:
        raise Unsupported(f"{type(self).__name__}: refresh")


class RefreshableConnector(Connector):
    """A connector whose access token expires and is renewed by `oauth_flow` with
    the registered client; without `oauth_client`, `refresh` is Unsupported."""

    oauth_flow: ClassVar[type[RegisteredClientFlow]] = RegisteredClientFlow

    def __init__(
        self,
        credentials: Credentials,
        http: httpx.Client | None = None,
        *,
        oauth_client: OAuthClient | None = None,
        now: Callable[[], dt.datetime] = utc_now,
    ) -> None:
        super().__init__(credentials, http)
        self.oauth_client = oauth_client
        self.now = now

    def refresh(self) -> Credentials:
        if self.oauth_client is None:
            raise Unsupported(
                f"{self.network}: refresh needs the registered OAuth client"
            )
        flow = self.oauth_flow(self.oauth_client, self.http, now=self.now)
        return flow.refresh(self.credentials)


def post_token(
    http: httpx.Client,
    url: str,
    form: dict[str, str],
    *,
    network: str,
    errors: ErrorReader,
    auth: httpx.Auth | None = None,
) -> Any:
    """POST `form` to the token endpoint `url`: the JSON answer, or the refusal as
    `token_error` maps it (Unavailable when the endpoint cannot be reached)."""
    try:
        response = http.post(url, data=form, auth=auth or httpx.USE_CLIENT_DEFAULT)
    except httpx.HTTPError as exc:
        raise Unavailable(
            f"{network}: token endpoint unreachable ({type(exc).__name__})"
        ) from exc
    if response.is_success:
        return response.json()
    raise token_error(response, errors)


def token_error(response: httpx.Response, errors: ErrorReader) -> ConnectorError:
    """A refused code or refresh token (400, 401) means the account must be
    connected again; `errors` reads the message and the code of the network's body."""
    body = json_or_none(response)
    status = response.status_code
    message = errors.error_message(body) or f"HTTP {status}"
    code = errors.error_code(body)
    if status in (400, 401):
        return AuthExpired(message, status=status, network_code=code)
    if status == 429:
        return RateLimited(message, status=status, retry_after=60.0, network_code=code)
    if status >= 500:
        return Unavailable(message, status=status, network_code=code)
    return Rejected(message, status=status, network_code=code)


def renewed(fresh: Credentials, previous: Credentials | None) -> Credentials:
    """`fresh` credentials from a token answer, on top of `previous` ones when
    refreshing: the account stays, and a refresh token not sent again is kept."""
    if previous is None:
        return fresh
    return dataclasses.replace(
        previous,
        access_token=fresh.access_token,
        refresh_token=fresh.refresh_token or previous.refresh_token,
        expires_at=fresh.expires_at,
        extra={**previous.extra, **fresh.extra},
    )

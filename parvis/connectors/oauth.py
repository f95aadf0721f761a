"""What every network's OAuth 2 flow shares: PKCE, state, the flow interface.

Each network package has an `oauth.py` with a class implementing `OAuthFlow`; the
channels app drives it (redirect to `authorization_url`, then `exchange_code`).
"""

import base64
import hashlib
import secrets
from dataclasses import dataclass
from typing import Protocol

from parvis.connectors.base import Credentials


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

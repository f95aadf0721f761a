"""Connecting a Bluesky account: its handle and an app password (Settings > Privacy
and security > App passwords in the Bluesky app), exchanged for a session with
com.atproto.server.createSession on the account's PDS (bsky.social for accounts hosted
by Bluesky; its own address for a self-hosted PDS).

The session is two JWTs: `accessJwt` (about two hours) and `refreshJwt` (about two
months), renewed together by com.atproto.server.refreshSession. The channel stores the
pair; when the refresh token has expired too, the account is connected again.

atproto OAuth (DPoP-bound tokens, pushed authorization requests, a published client
metadata document) is not implemented: app passwords serve every PDS today.

Docs: https://docs.bsky.app/docs/api/com-atproto-server-create-session,
https://docs.bsky.app/docs/api/com-atproto-server-refresh-session,
https://docs.bsky.app/docs/advanced-guides/api-directory
"""

import re
from dataclasses import dataclass

import httpx

from parvis.connectors.base import Credentials
from parvis.connectors.bluesky import parse
from parvis.connectors.bluesky.connector import DEFAULT_PDS, BlueskyConnector
from parvis.connectors.errors import AuthExpired, Rejected
from parvis.connectors.oauth import public_https_base_url

# The format the Bluesky app generates: four groups of four lowercase letters/digits.
APP_PASSWORD = re.compile(r"^[a-z0-9]{4}(-[a-z0-9]{4}){3}$")


def looks_like_app_password(password: str) -> bool:
    """False for what is probably the account's main password, which Parvis should
    not be given (an app password can be revoked alone)."""
    return bool(APP_PASSWORD.match(password.strip()))


def normalize_identifier(identifier: str) -> str:
    """ "@Ville-Saint-Malo.bsky.social " -> "ville-saint-malo.bsky.social"; a DID or
    an e-mail address is kept as typed (createSession accepts both)."""
    value = identifier.strip()
    if value.startswith("did:") or "@" in value.lstrip("@"):
        return value
    return value.lstrip("@").lower()


def pds_base_url(name: str) -> str:
    """The PDS a user names ("pds.saint-malo.fr" or "https://pds.saint-malo.fr/"), or
    bsky.social when empty. Parvis is about to call it: only a public host name over
    https is accepted."""
    if not name.strip():
        return DEFAULT_PDS
    return public_https_base_url(name, what="de serveur Bluesky (PDS)")


@dataclass
class AppPasswordLogin:
    """The account-connection flow of Bluesky (in place of an OAuth 2 flow)."""

    http: httpx.Client
    pds_url: str = DEFAULT_PDS

    def login(self, *, identifier: str, app_password: str) -> Credentials:
        """createSession -> Credentials (account_id: the DID; base_url: the PDS
        named in the DID document, where the account really lives)."""
        connector = BlueskyConnector(
            Credentials(access_token="", base_url=self.pds_url), self.http
        )
        try:
            response = connector.request(
                "POST",
                f"{self.pds_url.rstrip('/')}/xrpc/com.atproto.server.createSession",
                json={
                    "identifier": normalize_identifier(identifier),
                    "password": app_password.strip(),
                },
            )
        except AuthExpired as exc:
            # Nothing expired here: the identifier or the password is wrong.
            raise Rejected(
                exc.message, status=exc.status, network_code=exc.network_code
            ) from exc
        return parse.credentials(response.json(), self.pds_url)

    def refresh(self, credentials: Credentials) -> Credentials:
        """refreshSession: both tokens are replaced (the old refresh token is spent)."""
        return BlueskyConnector(credentials, self.http).refresh()

"""How a partner's account is written for a mention on each network, and the French
message that says so when a handle does not fit."""

import re

from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from parvis.territory.vocabularies import Network

_DOMAIN = r"(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}"
# Facebook and LinkedIn tag a page by picking it from a list: the mention is the page's
# name as people read it, spaces allowed, on one line.
_PAGE_NAME = r"@[^\s@](?:[^\r\n@]{0,118}[^\s@])?"

HANDLE_RULES: dict[str, tuple[re.Pattern[str], StrOrPromise]] = {
    Network.X: (
        re.compile(r"@[A-Za-z0-9_]{1,15}"),
        _(
            "Sur X, un compte s'écrit @nom : de 1 à 15 lettres sans accent, chiffres "
            "ou _, par exemple @SaintMalo."
        ),
    ),
    Network.MASTODON: (
        re.compile(r"@[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_])?@" + _DOMAIN),
        _(
            "Sur Mastodon, un compte s'écrit @utilisateur@instance, par exemple "
            "@saintmalo@mastodon.social."
        ),
    ),
    Network.BLUESKY: (
        re.compile(r"@" + _DOMAIN),
        _(
            "Sur Bluesky, un compte s'écrit @ suivi d'un nom de domaine, par exemple "
            "@saint-malo.bsky.social."
        ),
    ),
    Network.INSTAGRAM: (
        re.compile(r"@[A-Za-z0-9._]{1,30}"),
        _(
            "Sur Instagram, un compte s'écrit @nom : de 1 à 30 lettres sans accent, "
            "chiffres, points ou _, par exemple @saintmalotourisme."
        ),
    ),
    Network.FACEBOOK: (
        re.compile(_PAGE_NAME),
        _(
            "Sur Facebook, écrivez @ suivi du nom de la page tel qu'il apparaît, par "
            "exemple @Office de Tourisme Saint-Malo."
        ),
    ),
    Network.LINKEDIN: (
        re.compile(_PAGE_NAME),
        _(
            "Sur LinkedIn, écrivez @ suivi du nom de la page tel qu'il apparaît, par "
            "exemple @Office de Tourisme Saint-Malo."
        ),
    ),
}


def handle_error(network: str, handle: str) -> StrOrPromise | None:
    """Why `handle` cannot name an account on `network`, or None when it can (or the
    network is unknown: the network field reports that)."""
    rule = HANDLE_RULES.get(network)
    if rule is None:
        return None
    pattern, message = rule
    return None if pattern.fullmatch(handle) else message

"""How to write for each network: what the studio takes from each connector (limits,
counting) plus the editorial rules of the network (hashtags, emoji, links, threads,
register)."""

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from parvis.connectors.base import Connector, Credentials
from parvis.connectors.registry import connector_class


@dataclass(frozen=True)
class NetworkStyle:
    network: str
    label: str
    max_chars: int
    count: Callable[[str], int]
    max_hashtags: int  # editorial maximum, below the network's own
    threads: bool  # the studio may cut a long message into a thread
    clickable_links: bool
    emoji: bool  # one emoji in the hook is fine here
    summary_sentences: int  # how many sentences of context before the facts
    professional: bool = False


# Editorial choices (not the networks' hard limits): what reads well on each network for
# a public institution. Hashtags: Facebook and LinkedIn audiences barely use them; on
# Instagram they are how people find posts (the network allows 30; 6 stay legible).
EDITORIAL = {
    "x": dict(max_hashtags=2, emoji=True, summary_sentences=1),
    "bluesky": dict(max_hashtags=2, emoji=True, summary_sentences=1),
    "mastodon": dict(max_hashtags=4, emoji=True, summary_sentences=2),
    "facebook": dict(max_hashtags=2, emoji=True, summary_sentences=2),
    "instagram": dict(max_hashtags=6, emoji=True, summary_sentences=2),
    "linkedin": dict(
        max_hashtags=3, emoji=False, summary_sentences=2, professional=True
    ),
}

NETWORKS = tuple(EDITORIAL)


@cache
def style_for(network: str) -> NetworkStyle:
    connector: Connector = connector_class(network)(Credentials(access_token=""))
    try:
        from parvis.connectors.base import Capability

        threads = Capability.THREADS in connector.capabilities
        return NetworkStyle(
            network=network,
            label=connector.label,
            max_chars=connector.max_chars(),
            count=connector.count,
            threads=threads,
            clickable_links=connector.limits.clickable_links,
            **EDITORIAL[network],  # type: ignore[arg-type]
        )
    finally:
        connector.close()

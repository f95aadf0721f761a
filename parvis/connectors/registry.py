"""Which connector class serves which network."""

from importlib import import_module

from parvis.connectors.base import Connector

NETWORKS = {
    "mastodon": "parvis.connectors.mastodon.connector.MastodonConnector",
    "bluesky": "parvis.connectors.bluesky.connector.BlueskyConnector",
    "facebook": "parvis.connectors.facebook.connector.FacebookConnector",
    "instagram": "parvis.connectors.instagram.connector.InstagramConnector",
    "x": "parvis.connectors.x.connector.XConnector",
    "linkedin": "parvis.connectors.linkedin.connector.LinkedInConnector",
}


def connector_class(network: str) -> type[Connector]:
    try:
        path = NETWORKS[network]
    except KeyError as exc:
        raise LookupError(f"unknown network {network!r}") from exc
    module_path, class_name = path.rsplit(".", 1)
    return getattr(import_module(module_path), class_name)


def available_networks() -> list[str]:
    """Networks whose connector package is present."""
    found = []
    for network in NETWORKS:
        try:
            connector_class(network)
        except (ImportError, AttributeError):
            continue
        found.append(network)
    return found

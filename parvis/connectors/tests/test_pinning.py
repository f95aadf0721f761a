"""Pinning is an optional operation: declared where the network's API documents it
(Mastodon, Bluesky), Unsupported elsewhere, without a call to the network."""

import pytest

from parvis.connectors.base import Capability, Credentials
from parvis.connectors.errors import Unsupported
from parvis.connectors.registry import connector_class
from parvis.connectors.testing import Router


@pytest.mark.parametrize("network", ["mastodon", "bluesky"])
def test_networks_documenting_a_pin_declare_it(network):
    assert Capability.PIN in connector_class(network).capabilities


@pytest.mark.parametrize("network", ["facebook", "instagram", "x", "linkedin"])
def test_other_networks_refuse_to_pin_without_calling_them(network):
    cls = connector_class(network)
    assert Capability.PIN not in cls.capabilities
    router = Router()
    connector = cls(Credentials(access_token="t", account_id="1"), http=router.client())
    with pytest.raises(Unsupported):
        connector.pin("123")
    with pytest.raises(Unsupported):
        connector.unpin("123")
    assert router.seen == []

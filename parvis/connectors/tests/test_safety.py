import httpx
import pytest

from parvis.connectors.safety import (
    PrivateAddressRefused,
    host_is_public,
    user_address_client,
)


@pytest.mark.parametrize(
    "host",
    [
        "127.0.0.1",
        "localhost",
        "10.0.0.8",
        "192.168.1.1",
        "169.254.169.254",
        "::1",
        "0.0.0.0",  # noqa: S104 - a host to refuse, not a bind address
        "nom-qui-n-existe-pas.invalid",
    ],
)
def test_private_loopback_and_unresolvable_hosts_are_not_public(host):
    assert not host_is_public(host)


def test_a_public_address_is_public():
    assert host_is_public("9.9.9.9")


def test_the_client_refuses_a_private_address_before_connecting(settings):
    settings.ALLOW_PRIVATE_NETWORK_URLS = False
    with user_address_client() as client, pytest.raises(PrivateAddressRefused):
        client.get("http://127.0.0.1:9/api/v2/instance")


def test_the_setting_allows_local_peers_for_tests_and_demo(settings):
    settings.ALLOW_PRIVATE_NETWORK_URLS = True
    with user_address_client() as client, pytest.raises(httpx.ConnectError) as caught:
        client.get("http://127.0.0.1:9/")
    assert not isinstance(caught.value, PrivateAddressRefused)

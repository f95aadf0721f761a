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


def test_a_host_that_turns_private_after_the_check_gets_no_connection(
    settings, monkeypatch
):
    """DNS rebinding: the first answer is public, the next one private. The
    connection is made with a fresh vetted lookup, so it is refused."""
    import socket

    settings.ALLOW_PRIVATE_NETWORK_URLS = False
    answers = iter(["9.9.9.9", "127.0.0.1", "127.0.0.1"])
    connected: list[object] = []

    def rebinding_getaddrinfo(host, port, *args, **kwargs):
        address = next(answers)
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port or 0))]

    def record_connection(address, *args, **kwargs):
        connected.append(address)
        raise OSError("no network in tests")

    monkeypatch.setattr(socket, "getaddrinfo", rebinding_getaddrinfo)
    monkeypatch.setattr(socket, "create_connection", record_connection)
    with user_address_client() as client, pytest.raises(httpx.ConnectError) as caught:
        client.get("http://instance.example/api/v2/instance")
    assert "non-public" in str(caught.value)
    assert connected == []


def test_the_connection_goes_to_the_address_that_was_vetted(settings, monkeypatch):
    import socket

    settings.ALLOW_PRIVATE_NETWORK_URLS = False
    connected: list[object] = []

    def public_getaddrinfo(host, port, *args, **kwargs):
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("9.9.9.9", port or 0))]

    def record_connection(address, *args, **kwargs):
        connected.append(address)
        raise OSError("no network in tests")

    monkeypatch.setattr(socket, "getaddrinfo", public_getaddrinfo)
    monkeypatch.setattr(socket, "create_connection", record_connection)
    with user_address_client() as client, pytest.raises(httpx.ConnectError):
        client.get("http://instance.example/api/v2/instance")
    assert connected == [("9.9.9.9", 80)]

"""HTTP clients for addresses a user typed (a Mastodon instance, a Bluesky PDS): they
refuse to connect to loopback, private, link-local or reserved addresses, whatever the
host name resolves to, unless settings.ALLOW_PRIVATE_NETWORK_URLS (tests, demo,
benchmarks on 127.0.0.1).

The check runs on every request, redirects included, just before connecting."""

import ipaddress
import socket
from typing import Any

import httpx

from parvis.connectors.base import DEFAULT_TIMEOUT, USER_AGENT


class PrivateAddressRefused(httpx.ConnectError):
    pass


def host_is_public(host: str) -> bool:
    """True when every address `host` resolves to is globally routable."""
    try:
        infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError):
        return False
    addresses = {str(info[4][0]) for info in infos}
    return bool(addresses) and all(
        ipaddress.ip_address(address.split("%", 1)[0]).is_global
        for address in addresses
    )


class PublicOnlyTransport(httpx.HTTPTransport):
    def handle_request(self, request: httpx.Request) -> httpx.Response:
        host = request.url.host
        if not host_is_public(host):
            raise PrivateAddressRefused(
                f"refused to connect to non-public address {host!r}", request=request
            )
        return super().handle_request(request)


def user_address_client(**kwargs: Any) -> httpx.Client:
    """An httpx.Client for a user-supplied address."""
    from django.conf import settings

    transport = (
        httpx.HTTPTransport()
        if getattr(settings, "ALLOW_PRIVATE_NETWORK_URLS", False)
        else PublicOnlyTransport()
    )
    return httpx.Client(
        transport=transport,
        timeout=DEFAULT_TIMEOUT,
        headers={"User-Agent": USER_AGENT},
        follow_redirects=False,
        **kwargs,
    )


def safe_http_url(url: str | None) -> str:
    """`url` if it is an http(s) address, else "": addresses that networks return end
    up in links, where a javascript: address would run in the user's session."""
    from urllib.parse import urlsplit

    if not url:
        return ""
    return url if urlsplit(url.strip()).scheme in {"http", "https"} else ""

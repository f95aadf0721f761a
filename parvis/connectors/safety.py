"""HTTP clients for addresses a user typed (a Mastodon instance, a Bluesky PDS): they
refuse to connect to loopback, private, link-local or reserved addresses, whatever the
host name resolves to, unless settings.ALLOW_PRIVATE_NETWORK_URLS (tests, demo,
benchmarks on 127.0.0.1).

The check runs on every request, redirects included, and again where it matters: the
connection itself goes to an address resolved and vetted once, at connect time (a
host name that answers a public address to the check and a private one a moment later,
"DNS rebinding", never gets the connection). TLS still checks the certificate against
the host name."""

import ipaddress
import socket
import typing
from typing import Any

import httpcore
import httpx
from httpcore._backends.sync import SyncBackend

from parvis.connectors.base import DEFAULT_TIMEOUT, USER_AGENT


class PrivateAddressRefused(httpx.ConnectError):
    pass


def public_addresses(host: str) -> list[str]:
    """The addresses `host` resolves to, in resolver order, when all of them are
    globally routable; empty otherwise (one private answer is enough to refuse)."""
    try:
        infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError):
        return []
    addresses = list(dict.fromkeys(str(info[4][0]) for info in infos))
    if addresses and all(
        ipaddress.ip_address(address.split("%", 1)[0]).is_global
        for address in addresses
    ):
        return addresses
    return []


def host_is_public(host: str) -> bool:
    """True when every address `host` resolves to is globally routable."""
    return bool(public_addresses(host))


class PublicOnlyBackend(SyncBackend):
    """Opens TCP connections only to the public addresses the host resolves to at
    that moment; the connection uses the vetted address, not a second lookup."""

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: typing.Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        addresses = public_addresses(host)
        if not addresses:
            raise httpcore.ConnectError(
                f"refused to connect to non-public address {host!r}"
            )
        last_error: Exception | None = None
        for address in addresses:
            try:
                return super().connect_tcp(
                    address,
                    port,
                    timeout=timeout,
                    local_address=local_address,
                    socket_options=socket_options,
                )
            except httpcore.ConnectError as error:
                last_error = error
        assert last_error is not None
        raise last_error


class PublicOnlyTransport(httpx.HTTPTransport):
    def __init__(self) -> None:
        super().__init__(trust_env=False)
        # The pool httpx builds, with the backend that vets each connection.
        pool = self._pool
        assert isinstance(pool, httpcore.ConnectionPool)
        self._pool = httpcore.ConnectionPool(
            ssl_context=pool._ssl_context,
            max_connections=pool._max_connections,
            max_keepalive_connections=pool._max_keepalive_connections,
            keepalive_expiry=pool._keepalive_expiry,
            http1=pool._http1,
            http2=pool._http2,
            retries=pool._retries,
            network_backend=PublicOnlyBackend(),
        )

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
        trust_env=False,  # no proxy from the environment around the address checks
        **kwargs,
    )


def safe_http_url(url: str | None) -> str:
    """`url` if it is an http(s) address, else "": addresses that networks return end
    up in links, where a javascript: address would run in the user's session."""
    from urllib.parse import urlsplit

    if not url:
        return ""
    return url if urlsplit(url.strip()).scheme in {"http", "https"} else ""

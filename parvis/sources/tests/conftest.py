"""The website of the sources tests: `site` answers as www.saint-malo.example would
(fixtures written for these tests, see fixtures/README.md), through httpx.MockTransport.
Host names resolve through a small fake DNS: no test touches the network."""

import re
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
from django.core.cache import cache

from parvis.connectors.safety import host_is_public as real_host_is_public

FIXTURES = Path(__file__).resolve().parent / "fixtures"
SITE = "https://www.saint-malo.example"
HTML = "text/html; charset=utf-8"
RSS = "application/rss+xml; charset=UTF-8"
XML = "application/xml; charset=UTF-8"

# Names the tests use for addresses inside a private network.
FAKE_DNS = {
    "localhost": "127.0.0.1",
    "intranet.saint-malo.example": "10.0.12.7",
    "metadata.cloud.example": "169.254.169.254",
}


def fake_host_is_public(host: str) -> bool:
    """Addresses written with digits go to the real check (no DNS query is needed
    for them); names resolve through FAKE_DNS, or to a public address."""
    address = FAKE_DNS.get(host.lower(), host)
    if re.fullmatch(r"[\d.:\[\]a-fA-F]*[\d.:\]]", address) and not address.isalpha():
        return real_host_is_public(address.strip("[]"))
    return True


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


@dataclass
class Page:
    status: int = 200
    content: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class FakeSite:
    """Answers by full address (scheme, host, path; the query is ignored) and records
    every request. robots.txt is absent (404) unless served."""

    pages: dict[str, object] = field(default_factory=dict)
    seen: list[httpx.Request] = field(default_factory=list)

    def serve(
        self,
        url: str,
        content: bytes | str = b"",
        *,
        content_type: str = HTML,
        status: int = 200,
        headers: dict[str, str] | None = None,
    ) -> "FakeSite":
        body = content.encode("utf-8") if isinstance(content, str) else content
        self.pages[url] = Page(
            status, body, {"content-type": content_type, **(headers or {})}
        )
        return self

    def serve_file(self, url: str, name: str, content_type: str = HTML) -> "FakeSite":
        return self.serve(url, fixture(name), content_type=content_type)

    def redirect(self, url: str, location: str, status: int = 301) -> "FakeSite":
        self.pages[url] = Page(status, b"", {"location": location})
        return self

    def handle(self, url: str, handler) -> "FakeSite":  # type: ignore[no-untyped-def]
        self.pages[url] = handler
        return self

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.seen.append(request)
        url = f"{request.url.scheme}://{request.url.netloc.decode()}{request.url.path}"
        page = self.pages.get(url)
        if page is None:
            return httpx.Response(404, text="Page introuvable")
        if callable(page):
            return page(request)
        assert isinstance(page, Page)
        return httpx.Response(page.status, content=page.content, headers=page.headers)

    def client(self) -> httpx.Client:
        return httpx.Client(transport=httpx.MockTransport(self))

    def requests_to(self, path: str) -> list[httpx.Request]:
        return [request for request in self.seen if request.url.path == path]


@pytest.fixture(autouse=True)
def _fake_network(monkeypatch, settings):
    settings.ALLOW_PRIVATE_NETWORK_URLS = False
    settings.SITE_URL = "https://parvis.saint-malo.example"
    monkeypatch.setattr("parvis.sources.fetch.host_is_public", fake_host_is_public)
    cache.clear()  # robots.txt rules are cached per site
    yield
    cache.clear()


@pytest.fixture
def site(monkeypatch):
    """The fake website; code that builds its own HTTP client gets one to it."""
    fake = FakeSite()
    monkeypatch.setattr("parvis.sources.fetch.user_address_client", fake.client)
    monkeypatch.setattr("parvis.sources.services.user_address_client", fake.client)
    return fake

"""Test seams for connectors: recorded payloads, a routing httpx.MockTransport, and
the contract every connector's `publish` is tested against.

Fixtures are JSON files named `<endpoint>__<case>.json` holding
`{"source": "<documentation URL>", "status": 200, "headers": {...}, "body": ...}`:
the body is shaped exactly as the network's official documentation shows.
"""

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import httpx
import pytest

from parvis.connectors.errors import (
    AuthExpired,
    ConnectorError,
    RateLimited,
    Rejected,
    Unavailable,
)

Handler = Callable[[httpx.Request], httpx.Response]

# The scenarios every connector's contract test runs through its publish call: each
# network records `<endpoint>__<scenario>.json` for its publishing endpoint.
CONTRACT_SCENARIOS = (
    "success",
    "expired_token",
    "rate_limited",
    "server_error",
    "rejected",
    "timeout",
)
# What `publish` raises in each failing scenario, whatever the network.
CONTRACT_ERRORS: dict[str, type[ConnectorError]] = {
    "expired_token": AuthExpired,
    "rate_limited": RateLimited,
    "server_error": Unavailable,
    "rejected": Rejected,
    "timeout": Unavailable,
}


def load_fixture(folder: Path, name: str) -> dict[str, Any]:
    data = json.loads((folder / f"{name}.json").read_text(encoding="utf-8"))
    if "source" not in data:
        raise AssertionError(f"fixture {name} must name its documentation source")
    return data


def fixture_response(folder: Path, name: str, **changes: Any) -> httpx.Response:
    """The recorded answer `name`; `changes` replace fields of its body (an object)."""
    data = load_fixture(folder, name)
    body = {**data["body"], **changes} if changes else data.get("body")
    return httpx.Response(
        data.get("status", 200),
        headers=data.get("headers", {}),
        json=body,
    )


def fixture_handler(folder: Path, name: str) -> Handler:
    """A handler answering each request with the recorded answer `name`."""
    return lambda request: fixture_response(folder, name)


def timeout(request: httpx.Request) -> httpx.Response:
    raise httpx.ReadTimeout("read timed out", request=request)


def scenario_handler(folder: Path, endpoint: str, scenario: str) -> Handler:
    """The publishing endpoint in a contract scenario: a read timeout, or the recorded
    answer `<endpoint>__<scenario>`."""
    if scenario == "timeout":
        return timeout
    return fixture_handler(folder, f"{endpoint}__{scenario}")


def contract_error(publish: Callable[[], object], scenario: str) -> ConnectorError:
    """The error `publish()` raises in the failing contract `scenario`, checked for
    what every network owes: the class CONTRACT_ERRORS names, no part online, and
    `maybe_sent` after a timeout only (an error answer means nothing was posted).
    The network's own message, code and wait are for its test to check."""
    with pytest.raises(CONTRACT_ERRORS[scenario]) as caught:
        publish()
    error = caught.value
    assert error.published_parts == (), f"{scenario}: {error.published_parts}"
    if isinstance(error, Unavailable):
        expected = scenario == "timeout"
        assert error.maybe_sent is expected, f"{scenario}: maybe_sent is not {expected}"
    return error


def form_fields(request: httpx.Request) -> dict[str, str]:
    """The fields of a form-encoded request body, one value each."""
    pairs = parse_qs(request.content.decode())
    return {key: values[0] for key, values in pairs.items()}


@dataclass
class Router:
    """Routes (METHOD, path regex) to handlers; records every request it sees.
    Unrouted requests fail the test loudly."""

    routes: list[tuple[str, re.Pattern[str], Handler]] = field(default_factory=list)
    seen: list[httpx.Request] = field(default_factory=list)

    def add(self, method: str, path_pattern: str, handler: Handler) -> "Router":
        self.routes.append((method.upper(), re.compile(path_pattern), handler))
        return self

    def reply(
        self, method: str, path_pattern: str, response: httpx.Response
    ) -> "Router":
        return self.add(method, path_pattern, lambda request: response)

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.seen.append(request)
        for method, pattern, handler in self.routes:
            if request.method == method and pattern.search(request.url.path):
                return handler(request)
        raise AssertionError(f"unexpected request {request.method} {request.url}")

    def client(self, base_url: str = "") -> httpx.Client:
        return httpx.Client(transport=httpx.MockTransport(self), base_url=base_url)

    def requests_to(self, path_pattern: str) -> list[httpx.Request]:
        pattern = re.compile(path_pattern)
        return [r for r in self.seen if pattern.search(r.url.path)]

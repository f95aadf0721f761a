"""Test seams for connectors: recorded payloads and a routing httpx.MockTransport.

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

import httpx

Handler = Callable[[httpx.Request], httpx.Response]

# The scenarios every connector's contract test runs through its publish call.
CONTRACT_SCENARIOS = (
    "success",
    "expired_token",
    "rate_limited",
    "server_error",
    "rejected",
    "timeout",
)


def load_fixture(folder: Path, name: str) -> dict[str, Any]:
    data = json.loads((folder / f"{name}.json").read_text(encoding="utf-8"))
    if "source" not in data:
        raise AssertionError(f"fixture {name} must name its documentation source")
    return data


def fixture_response(folder: Path, name: str) -> httpx.Response:
    data = load_fixture(folder, name)
    return httpx.Response(
        data.get("status", 200),
        headers=data.get("headers", {}),
        json=data.get("body"),
    )


def timeout(request: httpx.Request) -> httpx.Response:
    raise httpx.ReadTimeout("read timed out", request=request)


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

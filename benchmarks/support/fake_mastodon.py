"""A local stand-in for Mastodon instances, for benchmarks: the real API shapes of
POST /api/v1/statuses (Idempotency-Key honoured) and GET /api/v1/accounts/:id/statuses,
with network-like latency, occasional 503s and 429s.

Run in its own process: `python -m benchmarks.support.fake_mastodon --port 0` prints
{"port": N} then serves until killed. Every created status is appended to the JSON-lines
file given by --log, so the benchmark can count duplicates afterwards.
"""

import argparse
import json
import random
import threading
import time
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse


class State:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.lock = threading.Lock()
        self.next_id = 1
        self.by_key: dict[tuple[str, str], dict] = {}
        self.by_account: dict[str, list[dict]] = {}
        self.log = open(args.log, "a", buffering=1, encoding="utf-8")  # noqa: SIM115
        self.random = random.Random(args.seed)


def make_handler(state: State) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: object) -> None:  # quiet
            pass

        def _send(self, status: int, body: object, headers: dict | None = None) -> None:
            payload = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(payload)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(payload)

        def _account(self) -> str:
            return self.headers.get("Authorization", "").removeprefix("Bearer ")

        def _latency(self) -> None:
            time.sleep(
                state.random.uniform(state.args.min_ms, state.args.max_ms) / 1000
            )

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            form = parse_qs(self.rfile.read(length).decode())
            self._latency()
            if urlparse(self.path).path != "/api/v1/statuses":
                return self._send(404, {"error": "Record not found"})
            roll = state.random.random()
            if roll < state.args.error_rate:
                return self._send(503, {"error": "Service Unavailable"})
            if roll < state.args.error_rate + state.args.rate_limit_rate:
                return self._send(
                    429, {"error": "Too many requests"}, {"Retry-After": "2"}
                )
            account = self._account()
            key = self.headers.get("Idempotency-Key", "")
            text = form.get("status", [""])[0]
            with state.lock:
                existing = state.by_key.get((account, key)) if key else None
                if existing is None:
                    status_id = str(state.next_id)
                    state.next_id += 1
                    existing = {
                        "id": status_id,
                        "created_at": datetime.now(UTC).isoformat(),
                        "url": f"http://fake.local/@{account}/{status_id}",
                        "uri": f"http://fake.local/users/{account}/statuses/{status_id}",
                        "content": f"<p>{text}</p>",
                        "visibility": "public",
                        "in_reply_to_id": form.get("in_reply_to_id", [None])[0],
                        "replies_count": 0,
                        "reblogs_count": 0,
                        "favourites_count": 0,
                        "account": {"id": account, "acct": account},
                        "media_attachments": [],
                    }
                    if key:
                        state.by_key[(account, key)] = existing
                    state.by_account.setdefault(account, []).append(existing)
                    state.log.write(
                        json.dumps({"account": account, "key": key, "text": text})
                        + "\n"
                    )
            self._send(200, existing)

        def do_GET(self) -> None:
            self._latency()
            path = urlparse(self.path).path
            if path.startswith("/api/v1/accounts/") and path.endswith("/statuses"):
                account = path.split("/")[4]
                with state.lock:
                    statuses = list(reversed(state.by_account.get(account, [])))[:40]
                return self._send(200, statuses)
            self._send(404, {"error": "Record not found"})

        def do_DELETE(self) -> None:
            self._send(200, {})

    return Handler


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--log", required=True)
    parser.add_argument("--min-ms", type=float, default=50)
    parser.add_argument("--max-ms", type=float, default=150)
    parser.add_argument("--error-rate", type=float, default=0.01)
    parser.add_argument("--rate-limit-rate", type=float, default=0.002)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    server = ThreadingHTTPServer(("127.0.0.1", args.port), make_handler(State(args)))
    server.daemon_threads = True
    print(json.dumps({"port": server.server_address[1]}), flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()

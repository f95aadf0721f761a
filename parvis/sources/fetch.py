"""Fetching the authority's website safely: addresses are typed by users, so every
request (each redirect included) is checked before it is sent.

- http and https only; no user name or password in the address;
- loopback, private, link-local and reserved addresses refused, whatever the host name
  resolves to, unless settings.ALLOW_PRIVATE_NETWORK_URLS (tests, local demo);
- at most MAX_REDIRECTS redirects, each one checked like the first address;
- robots.txt of each site respected (fetched the same way, kept one hour per site);
- a size limit (announced and actual) and a time limit (per operation and overall);
- the content type must be one the caller accepts;
- a conditional GET when the caller knows the ETag or Last-Modified of the last answer:
  "304 Not Modified" comes back as `not_modified=True`.

Errors, each with a French message for the team (`str(error)`):

    FetchRefused            the address or the answer is not acceptable
     └── FetchUnreachable   the site did not answer properly (network, timeout, 4xx/5xx)
"""

import codecs
import hashlib
import re
import time
import urllib.robotparser
from collections.abc import Collection
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import httpx

from parvis.connectors.safety import host_is_public, user_address_client

MAX_REDIRECTS = 5
DEFAULT_MAX_BYTES = 5_000_000
TIMEOUT = httpx.Timeout(15.0, connect=10.0)
# A site that trickles its answer byte by byte is cut off after this many seconds.
TOTAL_SECONDS = 30.0
ROBOTS_TTL_SECONDS = 3600
ROBOTS_RETRY_SECONDS = 300
ROBOTS_MAX_BYTES = 500_000  # what RFC 9309 asks crawlers to read at least
ROBOTS_AGENT = "Parvis"

HTML_TYPES = ("text/html", "application/xhtml+xml")
XML_TYPES = (
    "application/rss+xml",
    "application/atom+xml",
    "application/rdf+xml",
    "application/xml",
    "text/xml",
)
IMAGE_TYPES = ("image/jpeg", "image/png", "image/webp", "image/gif")
ANY_TYPE = ("*/*",)


class FetchRefused(Exception):
    """The address or the answer is not acceptable; str() is a French message."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class FetchUnreachable(FetchRefused):
    """The site could not be reached, or answered with an error `status`."""

    def __init__(self, message: str, *, status: int = 0) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class FetchResult:
    url: str
    final_url: str
    status: int
    content_type: str
    text: str
    etag: str
    last_modified: str
    not_modified: bool
    content: bytes = b""


def user_agent() -> str:
    from django.conf import settings

    return f"Parvis/0.1 (+{settings.SITE_URL})"


def check_url(url: str) -> None:
    """Refuse (FetchRefused) an address Parvis must not request."""
    from django.conf import settings

    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        parts.port  # noqa: B018 (raises ValueError on a bad port)
    except ValueError as exc:
        raise FetchRefused(f"Adresse invalide : {url}") from exc
    if parts.scheme not in {"http", "https"}:
        raise FetchRefused(
            "Seules les adresses web en http:// ou https:// sont acceptées."
        )
    if not host:
        raise FetchRefused(f"Adresse sans nom de site : {url}")
    if parts.username or parts.password:
        raise FetchRefused(
            "L'adresse ne doit pas contenir d'identifiant ni de mot de passe."
        )
    if not getattr(settings, "ALLOW_PRIVATE_NETWORK_URLS", False) and not (
        host_is_public(host)
    ):
        raise FetchRefused(
            f"L'adresse {host} est une adresse privée ou locale (ou introuvable) : "
            "Parvis ne lit que des sites publics."
        )


def fetch(
    url: str,
    *,
    etag: str = "",
    last_modified: str = "",
    http: httpx.Client | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    accept: Collection[str] = HTML_TYPES,
    respect_robots: bool = True,
) -> FetchResult:
    """GET `url` safely (see the module docstring). Raises FetchRefused."""
    own_client = http is None
    client = http if http is not None else user_address_client()
    try:
        return _fetch(
            url,
            client,
            etag=etag,
            last_modified=last_modified,
            max_bytes=max_bytes,
            accept=tuple(accept),
            respect_robots=respect_robots,
        )
    finally:
        if own_client:
            client.close()


def _fetch(
    url: str,
    client: httpx.Client,
    *,
    etag: str,
    last_modified: str,
    max_bytes: int,
    accept: tuple[str, ...],
    respect_robots: bool,
) -> FetchResult:
    deadline = time.monotonic() + TOTAL_SECONDS
    current = url
    for _hop in range(MAX_REDIRECTS + 1):
        check_url(current)
        if respect_robots and not robots_allow(current, http=client):
            raise FetchRefused(
                f"Le fichier robots.txt du site interdit à Parvis de lire {current}."
            )
        headers = {"User-Agent": user_agent(), "Accept": _accept_header(accept)}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        try:
            with client.stream(
                "GET", current, headers=headers, timeout=TIMEOUT, follow_redirects=False
            ) as response:
                if response.is_redirect and "location" in response.headers:
                    current = urljoin(current, response.headers["location"].strip())
                    continue
                return _read(response, url, current, max_bytes, accept, deadline)
        except (httpx.InvalidURL, UnicodeError) as exc:
            raise FetchRefused(f"Adresse invalide : {current}") from exc
        except httpx.TimeoutException as exc:
            raise FetchUnreachable(
                f"Le site n'a pas répondu à temps ({urlsplit(current).hostname})."
            ) from exc
        except httpx.HTTPError as exc:
            raise FetchUnreachable(
                f"Site injoignable ({urlsplit(current).hostname}) : vérifiez "
                "l'adresse, ou réessayez plus tard."
            ) from exc
    raise FetchRefused(f"Trop de redirections (plus de {MAX_REDIRECTS}) depuis {url}.")


def _read(
    response: httpx.Response,
    url: str,
    final_url: str,
    max_bytes: int,
    accept: tuple[str, ...],
    deadline: float,
) -> FetchResult:
    validators = {
        "etag": response.headers.get("etag", ""),
        "last_modified": response.headers.get("last-modified", ""),
    }
    if response.status_code == 304:
        return FetchResult(url, final_url, 304, "", "", not_modified=True, **validators)
    if response.status_code >= 400 or response.status_code < 200:
        raise FetchUnreachable(
            _status_message(response.status_code, final_url),
            status=response.status_code,
        )
    content_type = response.headers.get("content-type", "")
    media_type = content_type.split(";", 1)[0].strip().lower()
    if not _accepted(media_type, accept):
        raise FetchRefused(
            f"Le site a répondu avec un contenu de type « {media_type or 'inconnu'} », "
            "qui n'est pas celui attendu ici."
        )
    announced = response.headers.get("content-length", "")
    if announced.isdigit() and int(announced) > max_bytes:
        raise FetchRefused(_too_big(max_bytes))
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > max_bytes:
            raise FetchRefused(_too_big(max_bytes))
        if time.monotonic() > deadline:
            raise FetchUnreachable(
                f"Le site répond trop lentement ({urlsplit(final_url).hostname})."
            )
        chunks.append(chunk)
    content = b"".join(chunks)
    return FetchResult(
        url=url,
        final_url=final_url,
        status=response.status_code,
        content_type=media_type,
        text=decode(content, content_type) if _is_text(media_type) else "",
        not_modified=False,
        content=content,
        **validators,
    )


def _is_text(media_type: str) -> bool:
    return (
        not media_type
        or media_type.startswith("text/")
        or media_type.endswith(("/xml", "+xml", "/json", "+json"))
    )


def _status_message(status: int, url: str) -> str:
    if status in {404, 410}:
        return f"Page introuvable sur le site (erreur {status}) : {url}"
    if status in {401, 403}:
        return f"Le site refuse l'accès à cette page (erreur {status}) : {url}"
    if status == 429:
        return "Le site demande de ralentir (erreur 429) : nouvel essai plus tard."
    if status >= 500:
        return f"Le site est en panne (erreur {status}) : nouvel essai plus tard."
    return f"Le site a répondu par une erreur {status} : {url}"


def _too_big(max_bytes: int) -> str:
    return f"Contenu trop volumineux (plus de {max_bytes // 1_000_000 or 1} Mo)."


def _accept_header(accept: tuple[str, ...]) -> str:
    return ", ".join(accept) if "*/*" in accept else ", ".join([*accept, "*/*;q=0.1"])


def _accepted(media_type: str, accept: tuple[str, ...]) -> bool:
    if "*/*" in accept:
        return True
    if not media_type:
        return False
    family = media_type.split("/", 1)[0] + "/*"
    return media_type in accept or family in accept


_META_CHARSET = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""", re.IGNORECASE
)
_XML_ENCODING = re.compile(rb"""<\?xml[^>]+encoding\s*=\s*["']([\w.:-]+)""")


def decode(content: bytes, content_type: str = "") -> str:
    """Text of an answer: the charset of the header, else the one the document
    declares (meta charset, XML declaration), else UTF-8, else Windows-1252 (older
    French sites)."""
    candidates = []
    match = re.search(r"charset=[\"']?([\w.:-]+)", content_type, re.IGNORECASE)
    if match:
        candidates.append(match.group(1))
    head = content[:4096]
    for pattern in (_XML_ENCODING, _META_CHARSET):
        found = pattern.search(head)
        if found:
            candidates.append(found.group(1).decode("ascii", "ignore"))
    if content.startswith(codecs.BOM_UTF8):
        candidates.insert(0, "utf-8-sig")
    for encoding in [*candidates, "utf-8"]:
        try:
            return content.decode(encoding)
        except (LookupError, UnicodeDecodeError):
            continue
    return content.decode("cp1252", errors="replace")


def robots_allow(url: str, *, http: httpx.Client) -> bool:
    """Whether the site's robots.txt lets Parvis read `url`. Kept one hour per site
    (five minutes when robots.txt could not be read)."""
    from django.core.cache import cache

    parts = urlsplit(url)
    origin = f"{parts.scheme}://{parts.netloc}"
    key = "parvis:robots:" + hashlib.sha256(origin.encode()).hexdigest()
    rules = cache.get(key)
    if rules is None:
        rules, ttl = _robots_rules(origin, http)
        cache.set(key, rules, ttl)
    if rules == "allow":
        return True
    if rules == "disallow":
        return False
    parser = urllib.robotparser.RobotFileParser()
    parser.parse(rules.splitlines())
    return parser.can_fetch(ROBOTS_AGENT, url)


def _robots_rules(origin: str, http: httpx.Client) -> tuple[str, int]:
    """("allow" | "disallow" | robots.txt text, seconds to keep it). Follows
    urllib.robotparser: 401 and 403 forbid everything, another 4xx allows everything;
    a site in error or out of reach forbids everything for a while (RFC 9309 §2.3.1.4)."""
    try:
        result = _fetch(
            f"{origin}/robots.txt",
            http,
            etag="",
            last_modified="",
            max_bytes=ROBOTS_MAX_BYTES,
            accept=ANY_TYPE,
            respect_robots=False,
        )
    except FetchUnreachable as error:
        if error.status in {401, 403}:
            return "disallow", ROBOTS_TTL_SECONDS
        if 400 <= error.status < 500 and error.status != 429:
            return "allow", ROBOTS_TTL_SECONDS
        return "disallow", ROBOTS_RETRY_SECONDS
    except FetchRefused:
        # Too big, or redirected somewhere Parvis may not go: no usable rules.
        return "allow", ROBOTS_TTL_SECONDS
    return result.text or "allow", ROBOTS_TTL_SECONDS

"""Links in variants: UTM parameters so the authority's analytics see which network
and campaign brought the visit."""

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit


def with_utm(url: str, *, network: str, campaign: str) -> str:
    """`url` with utm_source=<network>, utm_medium=social, utm_campaign=<campaign>;
    parameters already there are kept, ours replace earlier UTM values."""
    if not url:
        return url
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query) if not k.startswith("utm_")]
    query += [
        ("utm_source", network),
        ("utm_medium", "social"),
        ("utm_campaign", campaign or "parvis"),
    ]
    return urlunsplit(parts._replace(query=urlencode(query)))


def display_url(url: str) -> str:
    """A link as people read it where links do not click (Instagram): host and path."""
    parts = urlsplit(url)
    host = parts.netloc.removeprefix("www.")
    path = parts.path.rstrip("/")
    return f"{host}{path}" if len(host + path) <= 40 else host

"""What a source lists: the entries of an RSS or Atom feed (feedparser), the pages of
an XML sitemap (urlset, or a sitemapindex of sitemaps), each with its date when given.

Parsing only: the content comes from `fetch`, never from feedparser itself (which
would fetch an address it is given without Parvis' safety checks).
"""

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import feedparser
from lxml import etree

SITEMAP_NAMESPACE = "http://www.sitemaps.org/schemas/sitemap/0.9"
# Parsing XML from the web: no entities, no DTD, no network (XXE, billion laughs).
_XML_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
)
_FEED_LINK = re.compile(
    r"""<link\b[^>]*\btype=["']application/(?:rss|atom)\+xml["'][^>]*>""", re.IGNORECASE
)
_HREF = re.compile(r"""\bhref=["']([^"']+)["']""", re.IGNORECASE)


class NotAFeed(ValueError):
    """The content is not an RSS or Atom feed; str() is a French message."""


class NotASitemap(ValueError):
    """The content is not an XML sitemap; str() is a French message."""


@dataclass(frozen=True)
class FeedEntry:
    url: str
    title: str
    summary: str
    guid: str
    published_at: dt.datetime | None
    updated_at: dt.datetime | None

    @property
    def changed_at(self) -> dt.datetime | None:
        return self.updated_at or self.published_at


@dataclass(frozen=True)
class Feed:
    title: str
    entries: list[FeedEntry]


@dataclass(frozen=True)
class SitemapEntry:
    url: str
    lastmod: dt.datetime | None


@dataclass(frozen=True)
class Sitemap:
    """A urlset lists `pages`; a sitemapindex lists other `sitemaps`."""

    pages: list[SitemapEntry]
    sitemaps: list[SitemapEntry]


def parse_feed(content: bytes, *, url: str, content_type: str = "") -> Feed:
    """The entries of an RSS or Atom feed, relative links resolved against `url`.
    Raises NotAFeed."""
    parsed = feedparser.parse(
        content,
        response_headers={
            "content-location": url,
            "content-type": content_type or "application/xml",
        },
    )
    if not parsed.get("version"):
        raise NotAFeed(
            "Cette adresse ne donne pas un flux RSS ou Atom lisible."
            + _feed_hint(content, url)
        )
    entries = []
    for item in parsed.entries:
        link = _http_url(item.get("link", ""), url)
        if not link:
            continue
        entries.append(
            FeedEntry(
                url=link,
                title=" ".join(item.get("title", "").split()),
                summary=item.get("summary", ""),
                guid=item.get("id", "") or link,
                published_at=_struct_time(item.get("published_parsed")),
                updated_at=_struct_time(item.get("updated_parsed")),
            )
        )
    return Feed(title=" ".join(parsed.feed.get("title", "").split()), entries=entries)


def feed_links(html: str, url: str) -> list[str]:
    """Feeds a web page announces (<link rel="alternate" type="application/rss+xml">)."""
    found = []
    for tag in _FEED_LINK.findall(html):
        href = _HREF.search(tag)
        link = _http_url(href.group(1), url) if href else ""
        if link and link not in found:
            found.append(link)
    return found


def _feed_hint(content: bytes, url: str) -> str:
    links = feed_links(content[:200_000].decode("utf-8", "replace"), url)
    if links:
        return f" Cette page annonce un flux à l'adresse {links[0]} : utilisez-la."
    return " S'il s'agit d'une page du site, choisissez le type « Page unique »."


def parse_sitemap(content: bytes, *, url: str) -> Sitemap:
    """The pages (urlset) or child sitemaps (sitemapindex) of an XML sitemap.
    Raises NotASitemap."""
    try:
        root = etree.fromstring(content, parser=_XML_PARSER)
    except etree.XMLSyntaxError as exc:
        raise NotASitemap(
            "Cette adresse ne donne pas un plan du site XML (sitemap) lisible."
        ) from exc
    kind = etree.QName(root).localname
    if kind not in {"urlset", "sitemapindex"}:
        raise NotASitemap(
            "Ce document XML n'est pas un plan du site (ni « urlset » ni "
            "« sitemapindex »)."
        )
    child = "url" if kind == "urlset" else "sitemap"
    entries = []
    for element in root:
        if not isinstance(element.tag, str) or etree.QName(element).localname != child:
            continue
        loc = _child_text(element, "loc")
        link = _http_url(loc, url)
        if link:
            entries.append(
                SitemapEntry(link, _lastmod(_child_text(element, "lastmod")))
            )
    if kind == "urlset":
        return Sitemap(pages=entries, sitemaps=[])
    return Sitemap(pages=[], sitemaps=entries)


def _child_text(element: etree._Element, name: str) -> str:
    for child in element:
        if isinstance(child.tag, str) and etree.QName(child).localname == name:
            return (child.text or "").strip()
    return ""


def _lastmod(value: str) -> dt.datetime | None:
    """W3C datetime of sitemaps: a date, or a date and time with a zone."""
    if not value:
        return None
    try:
        parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=dt.UTC)
    return parsed.astimezone(dt.UTC)


def _struct_time(value: object) -> dt.datetime | None:
    """feedparser's dates are UTC struct_time."""
    if value is None:
        return None
    try:
        return dt.datetime.fromtimestamp(calendar.timegm(value), tz=dt.UTC)  # type: ignore[arg-type]
    except (TypeError, ValueError, OverflowError):
        return None


def _http_url(href: str, base: str) -> str:
    href = (href or "").strip()
    if not href:
        return ""
    absolute = urljoin(base, href)
    return absolute if urlsplit(absolute).scheme in {"http", "https"} else ""

"""Which pages a check of a source reads.

- Feed: each entry not read yet, and each entry whose date (updated, else published)
  is later than the date the feed gave when the page was last read.
- Sitemap: at the first check, the most recently modified pages; afterwards, the pages
  added or modified (lastmod) since the previous successful check, and the pages already
  read whose lastmod moved on. A sitemap index is followed to its sitemaps (the most
  recently modified first). Pages without lastmod are only read at the first check: a
  sitemap lists every page of the site, and only its dates tell what is news.

At most MAX_PAGES_PER_CHECK pages per check: the rest waits for the next one.
"""

import datetime as dt
from dataclasses import dataclass
from typing import Any

import httpx

from parvis.sources.feeds import Sitemap, SitemapEntry, parse_feed, parse_sitemap
from parvis.sources.fetch import FetchRefused, FetchResult, fetch
from parvis.sources.selectors import known_pages

MAX_PAGES_PER_CHECK = 20
MAX_FEED_ENTRIES = 50
MAX_CHILD_SITEMAPS = 10
SITEMAP_MAX_BYTES = 20_000_000
# Sitemap dates are often days without a time: look one day further back.
LASTMOD_MARGIN = dt.timedelta(days=1)


@dataclass(frozen=True)
class Listed:
    """A page a feed or sitemap lists, with the date it gives (None when none)."""

    url: str
    listed_at: dt.datetime | None


def feed_pages(result: FetchResult) -> tuple[str, list[Listed]]:
    """(feed title, its entries). Raises NotAFeed."""
    feed = parse_feed(
        result.content, url=result.final_url, content_type=result.content_type
    )
    entries = feed.entries[:MAX_FEED_ENTRIES]
    return feed.title, [Listed(entry.url, entry.changed_at) for entry in entries]


def sitemap_pages(
    result: FetchResult,
    *,
    since: dt.datetime | None,
    http: httpx.Client,
    accept: tuple[str, ...],
    errors: list[str],
) -> list[Listed]:
    """Pages of the sitemap, following a sitemap index (fetch errors of its children
    are appended to `errors`). Raises NotASitemap for the sitemap itself."""
    sitemap = parse_sitemap(result.content, url=result.final_url)
    pages = list(sitemap.pages)
    for child in _children_to_read(sitemap, since):
        try:
            fetched = fetch(
                child.url, http=http, accept=accept, max_bytes=SITEMAP_MAX_BYTES
            )
            pages.extend(parse_sitemap(fetched.content, url=fetched.final_url).pages)
        except (FetchRefused, ValueError) as error:
            errors.append(f"{child.url} : {error}")
    return [Listed(page.url, page.lastmod) for page in pages]


def _children_to_read(
    sitemap: Sitemap, since: dt.datetime | None
) -> list[SitemapEntry]:
    children = _newest_first(sitemap.sitemaps, key=lambda entry: entry.lastmod)
    if since is not None:
        children = [
            child
            for child in children
            if child.lastmod is None or child.lastmod >= since - LASTMOD_MARGIN
        ]
    return children[:MAX_CHILD_SITEMAPS]


def pages_to_read(
    *,
    authority: Any,
    listed: list[Listed],
    new_since: dt.datetime | None,
    limit: int | None = None,
) -> list[Listed]:
    """The listed pages worth reading (see the module docstring). `new_since`: None
    for a feed or a first check (every page not read yet is new), else the previous
    successful check of a sitemap."""
    limit = limit or MAX_PAGES_PER_CHECK
    unique = list({page.url: page for page in listed}.values())
    known = known_pages(authority=authority, urls=[page.url for page in unique])
    chosen = []
    for page in _newest_first(unique, key=lambda page: page.listed_at):
        if page.url in known:
            read_with = known[page.url]
            changed = page.listed_at is not None and (
                read_with is None or page.listed_at > read_with
            )
            if not changed:
                continue
        elif new_since is not None and (
            page.listed_at is None or page.listed_at < new_since - LASTMOD_MARGIN
        ):
            continue
        chosen.append(page)
        if len(chosen) >= limit:
            break
    return chosen


def _newest_first(items: list[Any], *, key: Any) -> list[Any]:
    """Sorted by date, newest first, undated ones last in their original order."""
    dated = [item for item in items if key(item) is not None]
    undated = [item for item in items if key(item) is None]
    return sorted(dated, key=key, reverse=True) + undated

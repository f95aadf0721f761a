"""Reads of the sources app."""

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db.models import Count, Q, QuerySet

from parvis.sources.extract import canonical
from parvis.sources.models import Article, Source


def sources_of(*, authority: Any) -> QuerySet[Source]:
    return (
        Source.objects.filter(authority=authority)
        .annotate(article_count=Count("articles", filter=Q(articles__is_current=True)))
        .order_by("name", "url")
    )


def articles_of(*, authority: Any, source: Source | None = None) -> QuerySet[Article]:
    """The current version of each article, the most recent first, with the number of
    versions known (`version` is the number of the current one)."""
    articles = Article.objects.filter(authority=authority, is_current=True)
    if source is not None:
        articles = articles.filter(source=source)
    return articles.select_related("source").order_by("-published_at", "-fetched_at")


def article_versions(*, article: Article) -> QuerySet[Article]:
    """Every version of the article (same canonical address), the newest first."""
    return Article.objects.filter(
        authority_id=article.authority_id, canonical_url=article.canonical_url
    ).order_by("-version", "-fetched_at")


def current_article(*, authority: Any, url: str) -> Article | None:
    """The current version of the article at `url` (its address or canonical one)."""
    return (
        Article.objects.filter(authority=authority, is_current=True)
        .filter(Q(url=url) | Q(canonical_url=canonical(url)))
        .first()
    )


def known_pages(
    *, authority: Any, urls: Iterable[str]
) -> dict[str, dt.datetime | None]:
    """For each of `urls` already read (by its address or canonical address), the
    date its feed or sitemap gave then (`listed_at`, None when none was given)."""
    urls = list(urls)
    canonicals = {url: canonical(url) for url in urls}
    rows = Article.objects.filter(authority=authority, is_current=True).filter(
        Q(url__in=urls) | Q(canonical_url__in=set(canonicals.values()))
    )
    by_url: dict[str, dt.datetime | None] = {}
    by_canonical: dict[str, dt.datetime | None] = {}
    for url, canonical_url, listed_at in rows.values_list(
        "url", "canonical_url", "listed_at"
    ):
        by_url[url] = listed_at
        by_canonical[canonical_url] = listed_at
    known = {}
    for url in urls:
        if url in by_url:
            known[url] = by_url[url]
        elif canonicals[url] in by_canonical:
            known[url] = by_canonical[canonicals[url]]
    return known


def sources_due(*, now: dt.datetime, due_after: dt.timedelta) -> QuerySet[Source]:
    """Active sources not checked for `due_after`, and not already waiting for a
    check enqueued less than `due_after` ago (a lost one is enqueued again)."""
    limit = now - due_after
    return Source.objects.filter(is_active=True).filter(
        Q(last_checked_at__isnull=True) | Q(last_checked_at__lt=limit),
        Q(poll_enqueued_at__isnull=True) | Q(poll_enqueued_at__lt=limit),
    )

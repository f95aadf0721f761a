"""Writes of the sources app: register a source, check it, store what it publishes.

A check (`source_poll`) asks for the source with a conditional GET; when it changed,
it reads the pages it lists that are new or changed (discover.py), extracts each
article and stores it (`article_store`): same content as the current version ->
nothing; new content -> a new version pointing to the previous one. Every outcome is
written on the source in French for the team (`last_result`, `last_error`).
"""

import dataclasses
import datetime as dt
import hashlib
import logging
from functools import partial
from typing import Any

import httpx
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from parvis.connectors.safety import user_address_client
from parvis.sources import discover
from parvis.sources.extract import ExtractedArticle, extract_article
from parvis.sources.feeds import NotAFeed, NotASitemap, parse_sitemap
from parvis.sources.fetch import (
    DEFAULT_MAX_BYTES,
    HTML_TYPES,
    XML_TYPES,
    FetchRefused,
    FetchResult,
    fetch,
)
from parvis.sources.models import Article, Source, SourceKind
from parvis.sources.report import PollReport
from parvis.sources.selectors import sources_due
from parvis.system.services import audit_record

logger = logging.getLogger(__name__)

DUE_AFTER = dt.timedelta(minutes=30)
# Feeds and sitemaps are XML, but a page address given as a feed must reach the parser
# to get the helpful "this is a page" answer.
LIST_TYPES = (*XML_TYPES, *HTML_TYPES, "text/plain")
CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"
MAX_URL_LENGTH = 1000  # Article.url and canonical_url


def accept_for(kind: str) -> tuple[str, ...]:
    return HTML_TYPES if kind == SourceKind.PAGE else LIST_TYPES


def max_bytes_for(kind: str) -> int:
    # The sitemap protocol allows 50 MB; feeds and pages are far smaller.
    return (
        discover.SITEMAP_MAX_BYTES if kind == SourceKind.SITEMAP else DEFAULT_MAX_BYTES
    )


def source_add(
    *,
    authority: Any,
    url: str,
    kind: str,
    actor: Any,
    name: str = "",
    http: httpx.Client | None = None,
) -> Source:
    """Register a source after reading it once (so that a wrong address, a private
    one, a site out of reach or a page given as a feed is refused at once, in French).
    Its first check is enqueued. Raises ValidationError."""
    url = url.strip()
    if kind not in SourceKind.values:
        raise ValidationError("Choisissez le type de source.", code="kind")
    if Source.objects.filter(authority=authority, url=url).exists():
        raise ValidationError("Cette adresse est déjà suivie.", code="duplicate")
    try:
        found_name = _probe(url, kind, http)
    except FetchRefused as error:
        raise ValidationError(error.message, code="fetch") from error
    except (NotAFeed, NotASitemap) as error:
        raise ValidationError(str(error), code="content") from error
    try:
        with transaction.atomic():
            source = Source.objects.create(
                authority=authority,
                kind=kind,
                url=url,
                name=(name.strip() or found_name)[:200],
                created_by=actor if getattr(actor, "is_authenticated", False) else None,
            )
    except IntegrityError as error:  # added by someone else meanwhile
        raise ValidationError(
            "Cette adresse est déjà suivie.", code="duplicate"
        ) from error
    audit_record(
        actor=actor,
        action="source.add",
        summary=f"Source ajoutée : {source}",
        authority=authority,
        target=source,
    )
    source_enqueue_poll(source=source)
    return source


def _probe(url: str, kind: str, http: httpx.Client | None) -> str:
    """Read the source once; the name it gives itself."""
    result = fetch(
        url, http=http, accept=accept_for(kind), max_bytes=max_bytes_for(kind)
    )
    if kind == SourceKind.FEED:
        title, _entries = discover.feed_pages(result)
        return title or _host(result.final_url)
    if kind == SourceKind.SITEMAP:
        parse_sitemap(result.content, url=result.final_url)
        return f"Plan du site {_host(result.final_url)}"
    extracted = _extract(result)
    if extracted is None or not (extracted.title or extracted.text):
        raise FetchRefused("Aucun article lisible sur cette page.")
    return extracted.title or _host(result.final_url)


def _extract(result: FetchResult) -> ExtractedArticle | None:
    """The article of a fetched page, None when the page breaks the extractor: pages
    come from anywhere, and one of them must not stop the check of the others."""
    try:
        return extract_article(result.text, result.final_url)
    except Exception:
        logger.exception("Extraction failed for %s", result.final_url)
        return None


def _host(url: str) -> str:
    return httpx.URL(url).host


def source_enqueue_poll(*, source: Source) -> None:
    """Ask the worker to check the source, once the transaction commits."""
    from parvis.sources.tasks import poll_source

    source.poll_enqueued_at = timezone.now()
    source.save(update_fields=["poll_enqueued_at"])
    transaction.on_commit(partial(poll_source.enqueue, source.pk))


def sources_enqueue_due(*, now: dt.datetime | None = None) -> int:
    """Enqueue a check of every active source not checked for 30 minutes. Safe to run
    twice at once: a source is claimed by one conditional update."""
    from parvis.sources.tasks import poll_source

    now = now or timezone.now()
    enqueued = 0
    due = sources_due(now=now, due_after=DUE_AFTER).values_list(
        "pk", "poll_enqueued_at"
    )
    for source_id, enqueued_at in list(due):
        claimed = Source.objects.filter(
            pk=source_id, poll_enqueued_at=enqueued_at
        ).update(poll_enqueued_at=now)
        if claimed:
            transaction.on_commit(partial(poll_source.enqueue, source_id))
            enqueued += 1
    return enqueued


def source_set_active(*, source: Source, is_active: bool, actor: Any) -> None:
    source.is_active = is_active
    source.save(update_fields=["is_active"])
    audit_record(
        actor=actor,
        action="source.resume" if is_active else "source.pause",
        summary=f"Source {'reprise' if is_active else 'suspendue'} : {source}",
        authority=source.authority,
        target=source,
    )


def source_delete(*, source: Source, actor: Any) -> None:
    """Forget the source; the articles already read stay."""
    audit_record(
        actor=actor,
        action="source.delete",
        summary=f"Source supprimée : {source}",
        authority=source.authority,
        target=source,
    )
    source.delete()


def source_poll(
    *, source: Source, http: httpx.Client | None = None, now: dt.datetime | None = None
) -> PollReport:
    """Check the source once and record the outcome on it."""
    now = now or timezone.now()
    report = PollReport()
    client = http if http is not None else user_address_client()
    validators = (source.etag, source.last_modified)
    try:
        result = fetch(
            source.url,
            etag=source.etag,
            last_modified=source.last_modified,
            http=client,
            accept=accept_for(source.kind),
            max_bytes=max_bytes_for(source.kind),
        )
        if result.not_modified:
            report.not_modified = True
        else:
            _read_listed(source, result, client, report, now)
            validators = (result.etag, result.last_modified)
    except FetchRefused as error:
        report.failure = error.message
    except (NotAFeed, NotASitemap) as error:
        report.failure = str(error)
    finally:
        if http is None:
            client.close()
    _record(source, report, now, validators)
    return report


def _read_listed(
    source: Source,
    result: FetchResult,
    client: httpx.Client,
    report: PollReport,
    now: dt.datetime,
) -> None:
    if source.kind == SourceKind.PAGE:
        extracted = _extract(result)
        if extracted is None:
            report.failure = "Page illisible : son contenu n'a pas pu être extrait."
        else:
            _store_into(report, source, extracted, None, now)
        return
    if source.kind == SourceKind.FEED:
        _title, listed = discover.feed_pages(result)
        new_since = None
    else:
        new_since = source.last_success_at
        listed = discover.sitemap_pages(
            result,
            since=new_since,
            http=client,
            accept=LIST_TYPES,
            errors=report.page_errors,
        )
    for page in discover.pages_to_read(
        authority=source.authority, listed=listed, new_since=new_since
    ):
        try:
            fetched = fetch(page.url, http=client, accept=HTML_TYPES)
        except FetchRefused as error:
            report.page_errors.append(f"{page.url} : {error.message}")
            continue
        extracted = _extract(fetched)
        if extracted is None:
            report.page_errors.append(f"{page.url} : page illisible")
            continue
        # The address listed, so that the next check recognises the page.
        extracted = dataclasses.replace(extracted, url=page.url)
        _store_into(report, source, extracted, page.listed_at, now)


def _store_into(
    report: PollReport,
    source: Source,
    extracted: ExtractedArticle,
    listed_at: dt.datetime | None,
    now: dt.datetime,
) -> None:
    if not (extracted.title or extracted.text):
        report.page_errors.append(f"{extracted.url} : aucun texte lisible")
        return
    if max(len(extracted.url), len(extracted.canonical_url)) > MAX_URL_LENGTH:
        report.page_errors.append(f"{extracted.url[:200]}… : adresse trop longue")
        return
    _article, outcome = article_store(
        authority=source.authority,
        source=source,
        extracted=extracted,
        listed_at=listed_at,
        now=now,
    )
    setattr(report, outcome, getattr(report, outcome) + 1)


def _record(
    source: Source, report: PollReport, now: dt.datetime, validators: tuple[str, str]
) -> None:
    changes: dict[str, Any] = {
        "last_checked_at": now,
        "last_error": report.error_text(),
        "poll_enqueued_at": None,
    }
    if not report.failure:
        changes |= {
            "last_success_at": now,
            "last_result": report.summary(),
            "etag": validators[0][:300],
            "last_modified": validators[1][:100],
        }
    for name, value in changes.items():
        setattr(source, name, value)
    # An update, not a save: the source may have been deleted during the check.
    Source.objects.filter(pk=source.pk).update(**changes)


def content_hash(extracted: ExtractedArticle) -> str:
    """What makes two readings of a page the same article (dates and addresses
    aside): text, title, lead and lead image, whitespace ignored."""
    parts = (
        extracted.title,
        extracted.lead,
        extracted.text,
        extracted.image_url,
        extracted.image_alt,
        extracted.image_caption,
    )
    normalised = "\x1f".join(" ".join(part.split()) for part in parts)
    return hashlib.sha256(normalised.encode("utf-8")).hexdigest()


def article_store(
    *,
    authority: Any,
    source: Source | None,
    extracted: ExtractedArticle,
    listed_at: dt.datetime | None = None,
    now: dt.datetime | None = None,
) -> tuple[Article, str]:
    """Store a reading of a page: ("unchanged" | "updated" | "created", the current
    version). Never a duplicate: two checks storing the same page at once end with
    one row (the loser of the race finds the winner's)."""
    now = now or timezone.now()
    for attempt in range(3):
        try:
            with transaction.atomic():
                return _store(authority, source, extracted, listed_at, now)
        except IntegrityError:
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def _store(
    authority: Any,
    source: Source | None,
    extracted: ExtractedArticle,
    listed_at: dt.datetime | None,
    now: dt.datetime,
) -> tuple[Article, str]:
    digest = content_hash(extracted)
    versions = Article.objects.filter(
        authority=authority, canonical_url=extracted.canonical_url
    )
    current = versions.select_for_update().filter(is_current=True).first()
    if current is not None and current.content_hash == digest:
        if listed_at is not None and current.listed_at != listed_at:
            current.listed_at = listed_at
            current.save(update_fields=["listed_at"])
        return current, UNCHANGED
    if current is not None:
        current.is_current = False
        current.save(update_fields=["is_current"])
    earlier = versions.filter(content_hash=digest).first()
    if earlier is not None and earlier.is_current:
        # Another check stored this very content between our two reads (PostgreSQL
        # reads what was committed at each statement): it is the current one.
        return earlier, UNCHANGED
    if earlier is not None:
        # The page went back to an earlier content: that version is current again.
        earlier.is_current = True
        earlier.fetched_at = now
        earlier.listed_at = listed_at
        earlier.save(update_fields=["is_current", "fetched_at", "listed_at"])
        return earlier, UPDATED
    latest = versions.aggregate(latest=Max("version"))["latest"] or 0
    article = Article.objects.create(
        authority=authority,
        source=source,
        canonical_url=extracted.canonical_url,
        url=extracted.url,
        title=extracted.title[:500] or extracted.canonical_url[:500],
        lead=extracted.lead,
        text=extracted.text,
        published_at=extracted.published_at,
        author=extracted.author[:300],
        image_url=extracted.image_url[:1000],
        image_alt=extracted.image_alt,
        image_caption=extracted.image_caption,
        language=extracted.language[:20],
        content_hash=digest,
        version=latest + 1,
        previous=current,
        is_current=True,
        fetched_at=now,
        listed_at=listed_at,
    )
    return article, CREATED if current is None else UPDATED

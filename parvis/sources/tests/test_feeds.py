import datetime as dt

import pytest

from parvis.sources.feeds import (
    NotAFeed,
    NotASitemap,
    feed_links,
    parse_feed,
    parse_sitemap,
)
from parvis.sources.tests.conftest import SITE, fixture


def test_an_rss_feed_lists_its_items_with_dates():
    feed = parse_feed(fixture("actualites.rss"), url=f"{SITE}/feed/")
    assert feed.title == "Actualités – Ville de Saint-Malo"
    assert [entry.url for entry in feed.entries] == [
        f"{SITE}/education/inscriptions-2026",
        f"{SITE}/actualites/travaux-rue-de-dinan-circulation-alternee/"
        "?utm_source=rss&utm_medium=rss",
        f"{SITE}/agenda/fete-de-la-musique-2026/",
    ]
    first = feed.entries[0]
    assert first.title == "Inscriptions scolaires 2026-2027 : c’est parti !"
    assert first.published_at == dt.datetime(2026, 3, 2, 8, 15, tzinfo=dt.UTC)
    assert first.guid == "https://www.saint-malo.example/?p=4812"


def test_an_atom_feed_resolves_relative_links_and_prefers_the_update_date():
    feed = parse_feed(
        fixture("actualites.atom"),
        url=f"{SITE}/actualites.atom",
        content_type="application/atom+xml",
    )
    assert feed.entries[0].url == f"{SITE}/education/inscriptions-2026"
    travaux = feed.entries[1]
    assert travaux.published_at == dt.datetime(2026, 2, 24, 8, 30, tzinfo=dt.UTC)
    assert travaux.changed_at == dt.datetime(2026, 3, 1, 15, 45, tzinfo=dt.UTC)


def test_a_web_page_is_not_a_feed_and_the_feed_it_announces_is_suggested():
    with pytest.raises(NotAFeed, match=f"{SITE}/feed/"):
        parse_feed(fixture("article-travaux.html"), url=f"{SITE}/actualites/")
    with pytest.raises(NotAFeed, match="Page unique"):
        parse_feed(fixture("article-fete.html"), url=f"{SITE}/agenda/")
    assert feed_links(fixture("article-travaux.html").decode(), SITE) == [
        f"{SITE}/feed/"
    ]


def test_a_sitemap_lists_pages_with_their_lastmod():
    sitemap = parse_sitemap(fixture("post-sitemap.xml"), url=f"{SITE}/post-sitemap.xml")
    assert sitemap.sitemaps == []
    assert len(sitemap.pages) == 4
    fete = sitemap.pages[1]
    assert fete.url == f"{SITE}/agenda/fete-de-la-musique-2026/"
    assert fete.lastmod == dt.datetime(2026, 2, 23, 17, 0, tzinfo=dt.UTC)
    assert sitemap.pages[2].lastmod == dt.datetime(2026, 2, 24, tzinfo=dt.UTC)


def test_a_sitemap_index_lists_its_sitemaps():
    index = parse_sitemap(fixture("sitemap_index.xml"), url=f"{SITE}/sitemap_index.xml")
    assert index.pages == []
    assert [entry.url for entry in index.sitemaps] == [
        f"{SITE}/post-sitemap.xml",
        f"{SITE}/page-sitemap.xml",
    ]


def test_other_documents_are_not_sitemaps():
    with pytest.raises(NotASitemap):
        parse_sitemap(fixture("article-fete.html"), url=SITE)
    with pytest.raises(NotASitemap, match="urlset"):
        parse_sitemap(fixture("actualites.rss"), url=SITE)


def test_xml_entities_are_never_expanded_from_files_or_the_network():
    hostile = (
        b'<?xml version="1.0"?><!DOCTYPE urlset [<!ENTITY secret SYSTEM '
        b'"file:///etc/passwd">]><urlset xmlns="http://www.sitemaps.org/schemas/'
        b'sitemap/0.9"><url><loc>https://www.saint-malo.example/&secret;</loc></url>'
        b"</urlset>"
    )
    sitemap = parse_sitemap(hostile, url=SITE)
    assert all("root:" not in page.url for page in sitemap.pages)

import datetime as dt

import httpx
import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from parvis.sources import discover
from parvis.sources.extract import extract_article
from parvis.sources.models import Article, Source, SourceKind
from parvis.sources.services import article_store, source_add, source_poll
from parvis.sources.tests.conftest import HTML, RSS, SITE, XML, fixture
from parvis.system.models import AuditEvent

pytestmark = pytest.mark.django_db

TRAVAUX = f"{SITE}/actualites/travaux-rue-de-dinan-circulation-alternee/"
INSCRIPTIONS = f"{SITE}/education/inscriptions-2026"
FETE = f"{SITE}/agenda/fete-de-la-musique-2026/"
ATOM_V1 = fixture("actualites.atom").replace(
    b"<updated>2026-03-01T16:45:00+01:00</updated>",
    b"<updated>2026-02-24T09:30:00+01:00</updated>",
)


def serve_articles(site, travaux="article-travaux.html"):
    site.serve_file(TRAVAUX, travaux)
    site.serve_file(INSCRIPTIONS, "article-inscriptions.html", "text/html")
    site.serve_file(FETE, "article-fete.html")


def serve_feed(site, content=None, etag='"feed-1"', content_type=RSS):
    body = fixture("actualites.rss") if content is None else content

    def feed(request):
        if request.headers.get("if-none-match") == etag:
            return httpx.Response(304, headers={"etag": etag})
        return httpx.Response(
            200, content=body, headers={"content-type": content_type, "etag": etag}
        )

    site.handle(f"{SITE}/feed/", feed)


def feed_source(commune, kind=SourceKind.FEED, url=f"{SITE}/feed/"):
    return Source.objects.create(authority=commune, kind=kind, url=url, name="Actus")


def page_requests(site):
    return [r for r in site.seen if r.url.path not in {"/feed/", "/robots.txt"}]


def test_adding_a_feed_reads_it_once_names_it_and_enqueues_its_first_check(
    site, commune, editor, django_capture_on_commit_callbacks
):
    serve_feed(site)
    with django_capture_on_commit_callbacks() as callbacks:
        source = source_add(
            authority=commune, url=f"{SITE}/feed/", kind="feed", actor=editor
        )
    assert source.name == "Actualités – Ville de Saint-Malo"
    assert source.created_by == editor and source.poll_enqueued_at is not None
    assert len(callbacks) == 1
    assert AuditEvent.objects.filter(action="source.add", authority=commune).exists()


@pytest.mark.parametrize(
    ("url", "kind", "message"),
    [
        ("ftp://www.saint-malo.example/feed/", "feed", "http:// ou https://"),
        ("http://10.0.0.8/feed/", "feed", "adresse privée ou locale"),
        (f"{SITE}/flux-disparu/", "feed", "Page introuvable"),
        (f"{SITE}/lent/", "feed", "n'a pas répondu à temps"),
        (TRAVAUX, "feed", f"annonce un flux à l'adresse {SITE}/feed/"),
        (FETE, "sitemap", "plan du site"),
        (f"{SITE}/feed/", "page", "qui n'est pas celui attendu"),
    ],
)
def test_adding_refuses_what_cannot_be_followed_with_a_french_message(
    site, commune, editor, url, kind, message
):
    serve_feed(site)
    serve_articles(site)

    def slow(request):
        raise httpx.ConnectTimeout("timed out", request=request)

    site.handle(f"{SITE}/lent/", slow)
    with pytest.raises(ValidationError, match=message):
        source_add(authority=commune, url=url, kind=kind, actor=editor)
    assert not Source.objects.exists()


def test_adding_the_same_address_twice_is_refused(site, commune, editor):
    serve_feed(site)
    source_add(authority=commune, url=f"{SITE}/feed/", kind="feed", actor=editor)
    with pytest.raises(ValidationError, match="déjà suivie"):
        source_add(authority=commune, url=f"{SITE}/feed/", kind="feed", actor=editor)


def test_a_first_check_stores_every_article_of_the_feed(site, commune):
    serve_feed(site)
    serve_articles(site)
    source = feed_source(commune)
    report = source_poll(source=source, http=site.client())
    assert (report.created, report.updated, report.unchanged) == (3, 0, 0)
    travaux = Article.objects.get(canonical_url=TRAVAUX)
    assert travaux.url == f"{TRAVAUX}?utm_source=rss&utm_medium=rss"  # as listed
    assert travaux.version == 1 and travaux.is_current and travaux.source == source
    assert travaux.image_alt.startswith("Engins de chantier")
    assert travaux.listed_at == dt.datetime(2026, 2, 24, 8, 30, tzinfo=dt.UTC)
    source.refresh_from_db()
    assert source.last_result == "3 nouveaux articles."
    assert source.last_error == "" and source.status == "ok"
    assert source.etag == '"feed-1"'


def test_a_check_answered_not_modified_reads_nothing_else(site, commune):
    serve_feed(site)
    serve_articles(site)
    source = feed_source(commune)
    source_poll(source=source, http=site.client())
    site.seen.clear()
    report = source_poll(source=source, http=site.client())
    assert report.not_modified
    assert page_requests(site) == []
    assert site.requests_to("/feed/")[0].headers["if-none-match"] == '"feed-1"'
    source.refresh_from_db()
    assert source.last_result == "Aucun changement depuis la vérification précédente."
    assert Article.objects.count() == 3


def test_a_changed_feed_whose_articles_did_not_change_stores_nothing(site, commune):
    serve_feed(site)
    serve_articles(site)
    source = feed_source(commune)
    source_poll(source=source, http=site.client())
    serve_feed(site, etag='"feed-2"')  # rebuilt, same items and dates
    site.seen.clear()
    report = source_poll(source=source, http=site.client())
    assert not report.not_modified and report.summary() == "Rien de nouveau."
    assert page_requests(site) == []
    assert Article.objects.count() == 3


def test_an_updated_article_becomes_a_new_version_linked_to_the_previous(site, commune):
    serve_feed(site, ATOM_V1, content_type="application/atom+xml")
    serve_articles(site)
    source = feed_source(commune)
    source_poll(source=source, http=site.client())
    first = Article.objects.get(canonical_url=TRAVAUX)

    serve_feed(
        site,
        etag='"feed-2"',
        content_type="application/atom+xml",
        content=fixture("actualites.atom"),
    )
    serve_articles(site, travaux="article-travaux-v2.html")
    site.seen.clear()
    report = source_poll(source=source, http=site.client())

    assert (report.created, report.updated) == (0, 1)
    assert [r.url.path for r in page_requests(site)] == [
        "/actualites/travaux-rue-de-dinan-circulation-alternee/"
    ]
    second = Article.objects.get(canonical_url=TRAVAUX, is_current=True)
    assert second.version == 2 and second.previous == first
    assert "du 10 au 21 mars 2026" in second.title
    first.refresh_from_db()
    assert not first.is_current and "du 3 au 14 mars" in first.title
    assert Article.objects.filter(canonical_url=TRAVAUX).count() == 2
    source.refresh_from_db()
    assert source.last_result == "1 article mis à jour."


def test_a_page_read_again_with_the_same_content_is_never_duplicated(commune):
    html = fixture("article-travaux.html").decode()
    for url in (TRAVAUX, TRAVAUX + "?utm_source=facebook", TRAVAUX + "#commentaires"):
        _article, outcome = article_store(
            authority=commune, source=None, extracted=extract_article(html, url)
        )
    assert outcome == "unchanged"
    assert Article.objects.count() == 1


def test_a_page_back_to_an_earlier_text_makes_that_version_current_again(commune):
    v1 = extract_article(fixture("article-travaux.html").decode(), TRAVAUX)
    v2 = extract_article(fixture("article-travaux-v2.html").decode(), TRAVAUX)
    first, _ = article_store(authority=commune, source=None, extracted=v1)
    second, _ = article_store(authority=commune, source=None, extracted=v2)
    back, outcome = article_store(authority=commune, source=None, extracted=v1)
    assert outcome == "updated" and back == first
    assert Article.objects.get(is_current=True) == first
    assert Article.objects.count() == 2 and second.previous == first


def test_a_page_that_cannot_be_read_is_reported_and_the_others_are_stored(
    site, commune
):
    serve_feed(site)
    serve_articles(site)
    site.serve(FETE, "Erreur", status=404)
    source = feed_source(commune)
    report = source_poll(source=source, http=site.client())
    assert report.created == 2
    source.refresh_from_db()
    assert source.status == "partial"
    assert source.last_error == (
        f"1 page n'a pas pu être lue : {FETE} : Page introuvable sur le site "
        f"(erreur 404) : {FETE}"
    )


def test_a_source_out_of_reach_records_a_french_error_and_keeps_its_state(
    site, commune
):
    serve_feed(site)
    serve_articles(site)
    source = feed_source(commune)
    source_poll(source=source, http=site.client())
    site.serve(f"{SITE}/feed/", "Service indisponible", status=503)
    later = timezone.now() + dt.timedelta(hours=1)
    source_poll(source=source, http=site.client(), now=later)
    source.refresh_from_db()
    assert source.status == "failed" and source.last_checked_at == later
    assert source.last_error.startswith("Le site est en panne (erreur 503)")
    assert source.last_result == "3 nouveaux articles."
    assert source.etag == '"feed-1"'


def test_robots_txt_forbidding_the_feed_is_recorded(site, commune):
    site.serve(
        f"{SITE}/robots.txt", "User-agent: *\nDisallow: /\n", content_type="text/plain"
    )
    serve_feed(site)
    source = feed_source(commune)
    source_poll(source=source, http=site.client())
    source.refresh_from_db()
    assert "robots.txt" in source.last_error and source.status == "failed"


def serve_sitemaps(site):
    site.serve_file(f"{SITE}/sitemap_index.xml", "sitemap_index.xml", XML)
    site.serve_file(f"{SITE}/post-sitemap.xml", "post-sitemap.xml", XML)
    site.serve_file(f"{SITE}/page-sitemap.xml", "page-sitemap.xml", XML)
    site.serve(
        f"{SITE}/actualites/",
        "<html lang='fr'><head><title>Actualités</title></head><body><main><h1>"
        "Actualités</h1><p>Toute l'actualité de la Ville de Saint-Malo : travaux, "
        "écoles, culture, démarches. Retrouvez ici les derniers articles publiés par "
        "la direction de la communication.</p></main></body></html>",
        content_type=HTML,
    )


def test_a_sitemap_index_is_followed_and_the_newest_pages_read_first(
    site, commune, monkeypatch
):
    monkeypatch.setattr(discover, "MAX_PAGES_PER_CHECK", 3)
    serve_sitemaps(site)
    serve_articles(site)
    source = feed_source(commune, SourceKind.SITEMAP, f"{SITE}/sitemap_index.xml")
    report = source_poll(source=source, http=site.client())
    assert report.created == 3
    assert set(Article.objects.values_list("canonical_url", flat=True)) == {
        f"{SITE}/actualites/",
        TRAVAUX,
        FETE,
    }
    assert site.requests_to("/page-sitemap.xml")  # followed
    assert not site.requests_to("/mentions-legales/")  # older than the three newest


def test_later_sitemap_checks_read_only_pages_modified_since(site, commune):
    serve_sitemaps(site)
    serve_articles(site)
    source = feed_source(commune, SourceKind.SITEMAP, f"{SITE}/post-sitemap.xml")
    source_poll(source=source, http=site.client())
    known = Article.objects.count()
    fresh = timezone.now().isoformat()
    site.serve(
        f"{SITE}/post-sitemap.xml",
        fixture("post-sitemap.xml").replace(
            b"<lastmod>2026-02-24</lastmod>", f"<lastmod>{fresh}</lastmod>".encode()
        ),
        content_type=XML,
    )
    serve_articles(site, travaux="article-travaux-v2.html")
    site.serve(f"{SITE}/accessibilite/", "<p>jamais lue</p>")
    site.seen.clear()
    report = source_poll(source=source, http=site.client())
    assert [r.url.path for r in page_requests(site)] == [
        "/post-sitemap.xml",
        "/actualites/travaux-rue-de-dinan-circulation-alternee/",
    ]
    assert (report.created, report.updated) == (0, 1)
    assert Article.objects.count() == known + 1


def test_a_single_page_is_checked_with_a_conditional_get(site, commune):
    def page(request):
        if request.headers.get("if-modified-since") == "Tue, 24 Feb 2026 10:02:13 GMT":
            return httpx.Response(304)
        return httpx.Response(
            200,
            content=fixture("article-fete.html"),
            headers={
                "content-type": HTML,
                "last-modified": "Tue, 24 Feb 2026 10:02:13 GMT",
            },
        )

    site.handle(FETE, page)
    source = feed_source(commune, SourceKind.PAGE, FETE)
    assert source_poll(source=source, http=site.client()).created == 1
    assert source_poll(source=source, http=site.client()).not_modified
    assert Article.objects.get().title == "Fête de la musique 2026 : le programme"


@pytest.mark.django_db(transaction=True)
def test_two_checks_storing_the_same_page_at_once_leave_one_article(commune):
    import threading

    from django.db import connection

    extracted = extract_article(fixture("article-travaux.html").decode(), TRAVAUX)
    outcomes = []
    start = threading.Barrier(4)

    def store():
        start.wait()
        try:
            outcomes.append(
                article_store(authority=commune, source=None, extracted=extracted)[1]
            )
        finally:
            connection.close()

    threads = [threading.Thread(target=store) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["created", "unchanged", "unchanged", "unchanged"]
    assert Article.objects.count() == 1


def test_a_page_that_breaks_the_extractor_does_not_stop_the_check(
    site, commune, monkeypatch
):
    from parvis.sources import services

    serve_feed(site)
    serve_articles(site)

    def fragile(html, url):
        if "fete" in url:
            raise ValueError("lxml: document is empty")
        return extract_article(html, url)

    monkeypatch.setattr(services, "extract_article", fragile)
    report = source_poll(source=feed_source(commune), http=site.client())
    assert report.created == 2
    assert report.page_errors == [f"{FETE} : page illisible"]

import pytest
from django.urls import reverse

from parvis.sources.extract import extract_article
from parvis.sources.models import Article, Source
from parvis.sources.services import article_store
from parvis.sources.tests.conftest import RSS, SITE, fixture

pytestmark = pytest.mark.django_db

TRAVAUX = f"{SITE}/actualites/travaux-rue-de-dinan-circulation-alternee/"


def url(name, authority, *args):
    return reverse(f"sources:{name}", args=[authority.slug, *args])


def stored(commune, name="article-travaux.html", address=TRAVAUX):
    article, _ = article_store(
        authority=commune,
        source=None,
        extracted=extract_article(fixture(name).decode(), address),
    )
    return article


def test_every_member_reads_the_sources_but_only_editors_and_admins_add(
    client_of, commune, editor, validator
):
    Source.objects.create(
        authority=commune, kind="feed", url=f"{SITE}/feed/", name="Actus"
    )
    page = client_of(validator).get(url("list", commune))
    assert page.status_code == 200 and "Actus" in page.text
    assert (
        "Ajouter une source" not in page.text and "Vérifier maintenant" not in page.text
    )
    assert client_of(validator).get(url("add", commune)).status_code == 404
    page = client_of(editor).get(url("list", commune))
    assert "Ajouter une source" in page.text and "Vérifier maintenant" in page.text
    assert client_of(editor).get(url("add", commune)).status_code == 200


def test_an_editor_adds_a_feed(site, client_of, commune, editor):
    site.serve(f"{SITE}/feed/", fixture("actualites.rss"), content_type=RSS)
    response = client_of(editor).post(
        url("add", commune),
        {"url": f"{SITE}/feed/", "kind": "feed", "name": ""},
        follow=True,
    )
    assert "Source « Actualités – Ville de Saint-Malo » ajoutée" in response.text
    assert Source.objects.get().kind == "feed"


@pytest.mark.parametrize(
    ("address", "kind", "message"),
    [
        ("ftp://www.saint-malo.example/feed/", "feed", "en http:// ou https://"),
        ("http://192.168.0.10/feed/", "feed", "adresse privée ou locale"),
        (f"{SITE}/introuvable/", "feed", "Page introuvable"),
        (TRAVAUX, "feed", "Cette page annonce un flux"),
        ("pas une adresse", "feed", "Saisissez une adresse web complète"),
    ],
)
def test_the_add_form_explains_in_french_what_is_wrong(
    site, client_of, commune, editor, address, kind, message
):
    site.serve(TRAVAUX, fixture("article-travaux.html"))
    page = client_of(editor).post(url("add", commune), {"url": address, "kind": kind})
    assert page.status_code == 200
    assert message in page.text
    assert "Le formulaire contient une erreur" in page.text
    assert not Source.objects.exists()


def test_the_article_text_is_shown_as_text_never_as_the_pages_html(
    client_of, commune, validator
):
    article = stored(
        commune, "article-fete.html", f"{SITE}/agenda/fete-de-la-musique-2026/"
    )
    Article.objects.filter(pk=article.pk).update(
        text=article.text + '\n\n<img src=x onerror="alert(1)"><b>gras</b>'
    )
    page = client_of(validator).get(url("article", commune, article.pk))
    assert page.status_code == 200
    assert "&lt;script&gt;alert(&quot;piège&quot;)&lt;/script&gt;" in page.text
    assert "<script>alert" not in page.text
    assert "<img src=x" not in page.text and "&lt;b&gt;gras&lt;/b&gt;" in page.text
    assert (
        'alt="Un groupe de rock joue devant la foule place Chateaubriand"' in page.text
    )


def test_an_article_shows_its_versions_and_what_changed(client_of, commune, editor):
    first = stored(commune)
    second = stored(commune, "article-travaux-v2.html")
    page = client_of(editor).get(url("article", commune, second.pk))
    assert "Modifications depuis la version 1" in page.text
    assert (
        "report d&#x27;une semaine" in page.text or "report d'une semaine" in page.text
    )
    assert url("article", commune, first.pk) in page.text
    old = client_of(editor).get(url("article", commune, first.pk))
    assert "Ancienne version" in old.text
    listing = client_of(editor).get(url("articles", commune))
    assert listing.text.count("Travaux rue de Dinan") == 1  # the current version only
    assert "version 2 (modifié)" in listing.text


def test_an_image_without_alt_on_the_page_asks_for_one(client_of, commune, editor):
    article = stored(commune)
    Article.objects.filter(pk=article.pk).update(image_alt="")
    page = client_of(editor).get(url("article", commune, article.pk))
    assert "Pas de texte alternatif" in page.text


def test_check_now_enqueues_a_check_and_only_answers_post(
    client_of, commune, editor, django_capture_on_commit_callbacks
):
    source = Source.objects.create(authority=commune, kind="feed", url=f"{SITE}/feed/")
    client = client_of(editor)
    assert client.get(url("poll", commune, source.pk)).status_code == 405
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(url("poll", commune, source.pk))
    assert response.status_code == 302 and len(callbacks) == 1
    source.refresh_from_db()
    assert source.poll_enqueued_at is not None


def test_an_editor_pauses_resumes_and_deletes_a_source_keeping_its_articles(
    client_of, commune, editor
):
    source = Source.objects.create(authority=commune, kind="feed", url=f"{SITE}/feed/")
    Article.objects.filter(pk=stored(commune).pk).update(source=source)
    client = client_of(editor)
    client.post(url("toggle", commune, source.pk))
    source.refresh_from_db()
    assert not source.is_active and source.status == "paused"
    client.post(url("toggle", commune, source.pk))
    source.refresh_from_db()
    assert source.is_active
    client.post(url("delete", commune, source.pk))
    assert not Source.objects.exists() and Article.objects.count() == 1


def test_outsiders_get_404_on_sources_and_articles(client_of, commune, outsider):
    source = Source.objects.create(authority=commune, kind="feed", url=f"{SITE}/feed/")
    article = stored(commune)
    client = client_of(outsider)
    assert client.get(url("list", commune)).status_code == 404
    assert client.get(url("article", commune, article.pk)).status_code == 404
    assert client.post(url("delete", commune, source.pk)).status_code == 404
    assert Source.objects.exists()


def test_filtering_articles_by_a_source_of_another_authority_is_404(
    client_of, commune, other_authority, admin_user
):
    foreign = Source.objects.create(
        authority=other_authority, kind="feed", url="https://www.lyon.example/feed/"
    )
    response = client_of(admin_user).get(
        url("articles", commune), {"source": foreign.pk}
    )
    assert response.status_code == 404

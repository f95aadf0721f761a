import datetime as dt

from parvis.sources.extract import canonical, extract_article
from parvis.sources.fetch import decode
from parvis.sources.tests.conftest import SITE, fixture

TRAVAUX = f"{SITE}/actualites/travaux-rue-de-dinan-circulation-alternee/"


def read(name: str, url: str):
    return extract_article(decode(fixture(name), "text/html"), url)


def test_the_main_text_is_kept_and_the_page_around_it_dropped():
    article = read("article-travaux.html", TRAVAUX)
    assert article.title == (
        "Travaux rue de Dinan : circulation alternée du 3 au 14 mars 2026"
    )
    assert article.text.startswith("Du mardi 3 mars au samedi 14 mars 2026")
    assert "02 99 40 71 11" in article.text
    assert "boulevard des Talards" in article.text
    for noise in ("cookies", "Mentions légales", "Partager", "À lire aussi", "gtag"):
        assert noise not in article.text
    assert "\n\n" in article.text  # paragraphs kept apart


def test_metadata_of_the_page_is_read():
    article = read("article-travaux.html", TRAVAUX + "?utm_source=facebook")
    assert article.canonical_url == TRAVAUX
    assert article.url.endswith("utm_source=facebook")
    assert article.published_at == dt.datetime(2026, 2, 24, 8, 30, tzinfo=dt.UTC)
    assert article.author == "Direction de la communication"
    assert article.language == "fr"
    assert article.lead.startswith("Du 3 au 14 mars 2026, la rue de Dinan")


def test_the_lead_image_comes_with_the_pages_own_alt_and_caption():
    article = read("article-travaux.html", TRAVAUX)
    assert article.image_url == (
        f"{SITE}/wp-content/uploads/2026/02/rue-de-dinan-chantier-1200x675.jpg"
    )
    assert (
        article.image_alt == "Engins de chantier devant les façades de la rue de Dinan"
    )
    assert article.image_caption.startswith("La rue de Dinan en février 2026")


def test_without_description_nor_og_alt_the_first_paragraph_and_img_alt_are_used():
    article = read("article-inscriptions.html", f"{SITE}/education/inscriptions-2026")
    assert article.lead.startswith("Les inscriptions pour la rentrée de septembre 2026")
    assert article.image_url == (
        f"{SITE}/sites/default/files/styles/large/public/ecole-rotheneuf.jpg"
    )
    assert article.image_alt == "Cour de récréation de l'école élémentaire de Rothéneuf"
    assert article.image_caption.startswith("L'école de Rothéneuf accueillera")
    assert article.canonical_url == f"{SITE}/education/inscriptions-2026"
    assert article.published_at is not None
    assert article.published_at.date() == dt.date(2026, 3, 1)  # 2 mars, Paris midnight


def test_text_is_plain_text_and_scripts_are_not_run_nor_kept():
    article = read("article-fete.html", f"{SITE}/agenda/fete-de-la-musique-2026/")
    assert 'un bal pour les enfants <script>alert("piège")</script>' in article.text
    assert "Texte injecté" not in article.text
    assert (
        article.image_alt
        == "Un groupe de rock joue devant la foule place Chateaubriand"
    )
    assert article.image_caption == ""


def test_an_empty_or_broken_page_gives_an_empty_article():
    article = extract_article("", f"{SITE}/vide")
    assert (article.title, article.text, article.image_url) == ("", "", "")
    assert article.canonical_url == f"{SITE}/vide"


def test_canonical_addresses_drop_tracking_parameters_and_fragments():
    assert (
        canonical(
            "HTTPS://WWW.Saint-Malo.example/agenda/?id=4&utm_source=fb&fbclid=X&xtor=RSS#haut"
        )
        == "https://www.saint-malo.example/agenda/?id=4"
    )
    assert (
        canonical("https://www.saint-malo.example") == "https://www.saint-malo.example/"
    )


def test_an_image_address_that_is_not_http_is_ignored():
    html = (
        '<html lang="fr"><head><meta property="og:image" content="javascript:alert(1)">'
        "<title>Conseil municipal</title></head><body><article><h1>Conseil municipal"
        "</h1><p>Le conseil municipal se réunit le jeudi 26 mars 2026 à 18 h 30 en "
        "salle du conseil de l'hôtel de ville. La séance est publique et retransmise "
        "en direct sur le site de la Ville.</p></article></body></html>"
    )
    article = extract_article(html, f"{SITE}/conseil")
    assert article.image_url == ""
    assert article.title == "Conseil municipal"

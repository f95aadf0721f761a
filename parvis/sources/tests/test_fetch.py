import httpx
import pytest

from parvis.sources.fetch import (
    IMAGE_TYPES,
    XML_TYPES,
    FetchRefused,
    FetchUnreachable,
    decode,
    fetch,
)
from parvis.sources.tests.conftest import SITE, fixture

PAGE = f"{SITE}/actualites/travaux-rue-de-dinan-circulation-alternee/"


@pytest.mark.parametrize(
    "url",
    [
        "ftp://www.saint-malo.example/actualites.rss",
        "file:///etc/passwd",
        "javascript:alert(1)",
        "gopher://www.saint-malo.example/",
    ],
)
def test_only_http_and_https_addresses_are_fetched(site, url):
    with pytest.raises(FetchRefused, match="http:// ou https://"):
        fetch(url, http=site.client())
    assert site.seen == []


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/",
        "http://[::1]:8000/admin/",
        "http://169.254.169.254/latest/meta-data/",
        "http://10.0.0.8/intranet/",
        "http://192.168.1.1/",
        "http://localhost:8000/",
        "http://2130706433/",  # 127.0.0.1 written as a number
        "https://intranet.saint-malo.example/rh/",
    ],
)
def test_private_loopback_and_link_local_addresses_are_refused(site, url):
    with pytest.raises(FetchRefused, match="adresse privée ou locale"):
        fetch(url, http=site.client())
    assert site.seen == []


def test_an_address_with_credentials_is_refused(site):
    with pytest.raises(FetchRefused, match="identifiant"):
        fetch("https://admin:secret@www.saint-malo.example/", http=site.client())


def test_a_redirect_to_a_private_address_is_refused_before_it_is_followed(site):
    site.redirect(PAGE, "http://metadata.cloud.example/latest/meta-data/", 302)
    with pytest.raises(FetchRefused, match="adresse privée"):
        fetch(PAGE, http=site.client())
    assert {request.url.host for request in site.seen} == {"www.saint-malo.example"}


def test_private_addresses_are_allowed_when_the_setting_says_so(site, settings):
    settings.ALLOW_PRIVATE_NETWORK_URLS = True
    site.serve("http://127.0.0.1:8080/page", "<p>Démo locale</p>")
    result = fetch("http://127.0.0.1:8080/page", http=site.client())
    assert result.status == 200 and "Démo locale" in result.text


def test_redirects_are_followed_and_the_final_address_reported(site):
    site.redirect("http://www.saint-malo.example/actu", f"{SITE}/actu")
    site.redirect(
        f"{SITE}/actu", "/actualites/travaux-rue-de-dinan-circulation-alternee/"
    )
    site.serve_file(PAGE, "article-travaux.html")
    result = fetch("http://www.saint-malo.example/actu", http=site.client())
    assert result.url == "http://www.saint-malo.example/actu"
    assert result.final_url == PAGE
    assert "rue de Dinan" in result.text


def test_a_redirect_loop_stops_after_five_redirects(site):
    site.redirect(f"{SITE}/a", f"{SITE}/b", 302)
    site.redirect(f"{SITE}/b", f"{SITE}/a", 302)
    with pytest.raises(FetchRefused, match="Trop de redirections"):
        fetch(f"{SITE}/a", http=site.client())
    assert len(site.requests_to("/a")) + len(site.requests_to("/b")) == 6


def test_an_answer_announced_larger_than_the_limit_is_refused(site):
    site.serve(PAGE, b"x" * 2_000)
    with pytest.raises(FetchRefused, match="trop volumineux"):
        fetch(PAGE, http=site.client(), max_bytes=1_000)


def test_an_answer_growing_past_the_limit_is_cut_off(site):
    def endless(request):
        chunks = (b"<p>" + b"x" * 1_000 + b"</p>" for _ in range(10_000))
        return httpx.Response(
            200, headers={"content-type": "text/html"}, content=chunks
        )

    site.handle(PAGE, endless)
    with pytest.raises(FetchRefused, match="trop volumineux"):
        fetch(PAGE, http=site.client(), max_bytes=50_000)


def test_a_content_type_the_caller_did_not_ask_for_is_refused(site):
    site.serve(f"{SITE}/deliberation.pdf", b"%PDF-1.7", content_type="application/pdf")
    with pytest.raises(FetchRefused, match="application/pdf"):
        fetch(f"{SITE}/deliberation.pdf", http=site.client())
    site.serve(f"{SITE}/logo.png", b"\x89PNG", content_type="image/png")
    assert fetch(f"{SITE}/logo.png", http=site.client(), accept=IMAGE_TYPES).content
    with pytest.raises(FetchRefused):
        fetch(f"{SITE}/logo.png", http=site.client(), accept=XML_TYPES)


def test_robots_txt_rules_are_respected(site):
    site.serve(
        f"{SITE}/robots.txt",
        "User-agent: *\nDisallow: /wp-admin/\nDisallow: /prive/\n",
        content_type="text/plain",
    )
    site.serve(f"{SITE}/prive/compte-rendu.html", "<p>Réservé</p>")
    site.serve_file(PAGE, "article-travaux.html")
    with pytest.raises(FetchRefused, match=r"robots\.txt"):
        fetch(f"{SITE}/prive/compte-rendu.html", http=site.client())
    assert site.requests_to("/prive/compte-rendu.html") == []
    assert fetch(PAGE, http=site.client()).status == 200


def test_robots_txt_rules_written_for_parvis_apply_to_it(site):
    site.serve(
        f"{SITE}/robots.txt",
        "User-agent: Googlebot\nAllow: /\n\nUser-agent: Parvis\nDisallow: /\n",
        content_type="text/plain",
    )
    with pytest.raises(FetchRefused, match=r"robots\.txt"):
        fetch(PAGE, http=site.client())


def test_robots_txt_is_read_once_per_site_and_kept(site):
    site.serve(
        f"{SITE}/robots.txt", "User-agent: *\nAllow: /\n", content_type="text/plain"
    )
    site.serve_file(PAGE, "article-travaux.html")
    for _ in range(3):
        fetch(PAGE, http=site.client())
    assert len(site.requests_to("/robots.txt")) == 1
    assert len(site.requests_to(PAGE.removeprefix(SITE))) == 3


def test_a_missing_robots_txt_allows_everything_and_a_forbidden_one_nothing(site):
    site.serve_file(PAGE, "article-travaux.html")
    assert fetch(PAGE, http=site.client()).status == 200  # robots.txt: 404
    other = "https://www.ville-fermee.example"
    site.serve(f"{other}/robots.txt", "Interdit", status=403)
    site.serve(f"{other}/actualites/", "<p>Actualités</p>")
    with pytest.raises(FetchRefused, match=r"robots\.txt"):
        fetch(f"{other}/actualites/", http=site.client())


def test_requests_name_parvis_and_its_address_in_the_user_agent(site):
    site.serve_file(PAGE, "article-travaux.html")
    fetch(PAGE, http=site.client())
    agents = {request.headers["user-agent"] for request in site.seen}
    assert agents == {"Parvis/0.1 (+https://parvis.saint-malo.example)"}


def test_a_conditional_get_answered_304_means_not_modified(site):
    def conditional(request):
        if request.headers.get("if-none-match") == '"v1"':
            return httpx.Response(304, headers={"etag": '"v1"'})
        return httpx.Response(
            200,
            headers={"content-type": "application/rss+xml", "etag": '"v1"'},
            content=fixture("actualites.rss"),
        )

    site.handle(f"{SITE}/feed/", conditional)
    first = fetch(f"{SITE}/feed/", http=site.client(), accept=XML_TYPES)
    assert first.etag == '"v1"' and not first.not_modified and first.content
    again = fetch(
        f"{SITE}/feed/",
        etag=first.etag,
        last_modified="Mon, 02 Mar 2026 08:15:00 GMT",
        http=site.client(),
        accept=XML_TYPES,
    )
    assert again.not_modified and again.status == 304 and again.text == ""
    sent = site.requests_to("/feed/")[-1].headers
    assert sent["if-modified-since"] == "Mon, 02 Mar 2026 08:15:00 GMT"


def test_a_site_that_does_not_answer_in_time_is_reported_in_french(site):
    def slow(request):
        raise httpx.ReadTimeout("timed out", request=request)

    site.handle(PAGE, slow)
    with pytest.raises(FetchUnreachable, match="n'a pas répondu à temps"):
        fetch(PAGE, http=site.client())


def test_an_error_status_is_reported_in_french(site):
    with pytest.raises(FetchUnreachable, match="Page introuvable") as error:
        fetch(f"{SITE}/actualites/disparue/", http=site.client())
    assert error.value.status == 404
    site.serve(f"{SITE}/panne", "Erreur", status=503)
    with pytest.raises(FetchUnreachable, match="en panne"):
        fetch(f"{SITE}/panne", http=site.client())


def test_pages_are_decoded_with_the_charset_they_declare():
    page = fixture("article-inscriptions.html")
    assert "Rothéneuf" in decode(page, "text/html")
    assert "Rothéneuf" in decode(page, "text/html; charset=ISO-8859-1")
    assert decode("Fête".encode(), "text/html") == "Fête"
    assert decode("Fête".encode("cp1252"), "") == "Fête"

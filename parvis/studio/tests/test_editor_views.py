import pytest
from django.urls import reverse

from parvis.accounts.roles import Role
from parvis.accounts.services import membership_set
from parvis.studio.models import Post
from parvis.studio.tests.test_post_services import (
    TEXT,
    TITLE,
    URL,
    audiences,
    make_article,
    make_post,
)
from parvis.system.models import AuditEvent

pytestmark = pytest.mark.django_db

# A real top-level domain: X only counts as links the addresses it recognises.
LONG_URL = "https://www.saint-malo.fr/agenda/" + "fete-du-jeu-au-parc-" * 5


def url(name, authority, *args):
    return reverse(f"studio:{name}", args=[authority.slug, *args])


def test_an_editor_writes_a_post_from_a_typed_text(client_of, commune, editor):
    response = client_of(editor).post(
        url("new", commune),
        {
            "origin": "blank",
            "title": TITLE,
            "text": TEXT,
            "url": URL,
            "networks": ["x", "mastodon", "facebook"],
            "audiences": audiences(commune, "habitants", "familles"),
        },
    )
    post = Post.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("post", commune, post.pk)
    assert post.variants.count() == 6
    page = client_of(editor).get(response["Location"])
    assert page.status_code == 200
    assert "6 variantes écrites" in page.text
    for label in ("Source", "Aperçu sur X", "Mastodon", "Facebook", "Familles"):
        assert label in page.text
    assert page.text.count('class="check check--') == 6 * 6
    assert "Longueur et limites" in page.text


def test_an_editor_writes_a_post_from_an_article_of_the_site(
    client_of, commune, editor
):
    article = make_article(commune)
    page = client_of(editor).get(url("new", commune))
    assert TITLE in page.text
    response = client_of(editor).post(
        url("new", commune),
        {
            "origin": "article",
            "article": article.pk,
            "networks": ["instagram"],
            "audiences": audiences(commune, "jeunes"),
        },
    )
    post = Post.objects.get()
    assert response.status_code == 302
    assert post.article == article


def test_the_new_post_form_says_what_is_missing(client_of, commune, editor):
    page = client_of(editor).post(url("new", commune), {"origin": "blank"})
    assert page.status_code == 200
    for message in (
        "Donnez un titre au texte.",
        "Saisissez le texte à adapter.",
        "Choisissez au moins un réseau.",
        "Choisissez au moins un public.",
    ):
        assert message in page.text
    assert not Post.objects.exists()


def test_the_editor_escapes_the_source_and_the_messages(client_of, commune, editor):
    post = make_post(commune, editor)
    post.source_text = "<script>alert(1)</script> Texte."
    post.save()
    variant = post.variants.get()
    variant.parts = ["<b>gras</b> #FêteDuJeu https://www.saint-malo.example/a"]
    variant.save()
    page = client_of(editor).get(url("post", commune, post.pk))
    assert "<script>alert(1)</script>" not in page.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text
    assert "<b>gras</b>" not in page.text
    assert '<span class="np__hashtag">#FêteDuJeu</span>' in page.text
    # X shows a link without its scheme (and cut when long).
    assert '<span class="np__link">saint-malo.example/a</span>' in page.text


def test_saving_a_part_in_the_editor_recomputes_the_checks(client_of, commune, editor):
    variant = make_post(commune, editor, networks=("mastodon",)).variants.get()
    text = "Fête du jeu le 31 décembre 2099 au parc des Chênes."
    response = client_of(editor).post(
        url("variant_save", commune, variant.pk), {"part": [text], "image_alt": ""}
    )
    assert response.status_code == 302
    assert response["Location"].endswith(
        f"?fait=enregistree&variante={variant.pk}#variante-{variant.pk}"
    )
    variant.refresh_from_db()
    assert variant.parts == [text]
    assert not variant.checks["facts"]["ok"]
    page = client_of(editor).get(response["Location"])
    assert "variante enregistrée" in page.text
    assert "Modifiée à la main" in page.text
    assert "À revoir" in page.text


def test_regenerate_in_the_editor_brings_back_the_engines_text(
    client_of, commune, editor
):
    variant = make_post(commune, editor, networks=("linkedin",)).variants.get()
    proposed = variant.parts
    client = client_of(editor)
    client.post(url("variant_save", commune, variant.pk), {"part": ["À moi."]})
    response = client.post(url("variant_regenerate", commune, variant.pk))
    assert response.status_code == 302
    variant.refresh_from_db()
    assert variant.parts == proposed
    assert AuditEvent.objects.filter(action="studio.variant_regenerate").exists()


def test_the_counter_counts_the_network_way_a_link_is_23_on_x(
    client_of, commune, editor
):
    variant = make_post(commune, editor, networks=("x",)).variants.get()
    text = f"Programme : {LONG_URL}"
    assert len(text) > 100
    response = client_of(editor).post(
        url("variant_count", commune, variant.pk),
        {"part": [text], "image_alt": "", "part_edited": "0"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    counter_id = f"variante-{variant.pk}-compteur-0"
    assert f'id="{counter_id}" hx-swap-oob="innerHTML"' in response.text
    assert f"{len('Programme : ') + 23} caractères sur 280, reste" in response.text
    assert f'id="variante-{variant.pk}-verifications"' in response.text
    assert "Longueur et limites" in response.text
    assert "<html" not in response.text
    variant.refresh_from_db()
    assert variant.parts != [text]  # counting saves nothing


def test_the_counter_says_in_words_when_a_part_is_too_long(client_of, commune, editor):
    variant = make_post(commune, editor, networks=("bluesky",)).variants.get()
    response = client_of(editor).post(
        url("variant_count", commune, variant.pk),
        {"part": ["é" * 310], "part_edited": "0"},
    )
    assert "Trop long :" in response.text
    assert "310 caractères sur 300, 10 de trop" in response.text
    assert "À revoir" in response.text


def test_a_get_on_an_action_goes_back_to_the_editor(client_of, commune, editor):
    variant = make_post(commune, editor).variants.get()
    response = client_of(editor).get(url("variant_save", commune, variant.pk))
    assert response.status_code == 302
    assert response["Location"].endswith(f"#variante-{variant.pk}")


def test_an_elected_member_reads_the_studio_but_does_not_write(
    client_of, commune, editor, admin_user
):
    from conftest import make_user

    elected = make_user("elu@saint-malo.example")
    membership_set(authority=commune, user=elected, role=Role.ELECTED, actor=admin_user)
    variant = make_post(commune, editor).variants.get()
    client = client_of(elected)
    page = client.get(url("post", commune, variant.post_id))
    assert page.status_code == 200
    assert "<textarea" not in page.text
    assert "Nouvelle publication" not in client.get(url("list", commune)).text
    assert client.get(url("new", commune)).status_code == 404
    saved = client.post(url("variant_save", commune, variant.pk), {"part": ["Non."]})
    assert saved.status_code == 404


def test_an_outsider_gets_404_and_an_id_of_another_authority_too(
    client_of, commune, other_authority, editor, outsider
):
    variant = make_post(commune, editor).variants.get()
    client = client_of(outsider)
    for name, pk in (("post", variant.post_id), ("variant_count", variant.pk)):
        assert client.get(url(name, commune, pk)).status_code == 404
        assert client.post(url(name, other_authority, pk)).status_code == 404
    assert client.get(url("list", commune)).status_code == 404


def test_the_list_shows_the_posts_of_the_authority(client_of, commune, editor):
    make_post(commune, editor, networks=("x", "mastodon"))
    page = client_of(editor).get(url("list", commune))
    assert TITLE in page.text
    assert "Texte saisi" in page.text


def test_the_editor_reads_the_same_number_of_queries_for_more_variants(
    client_of, commune, editor, django_assert_max_num_queries
):
    client = client_of(editor)
    small = make_post(commune, editor, networks=("x",))
    large = make_post(
        commune,
        editor,
        networks=("x", "mastodon", "facebook"),
        slugs=("habitants", "jeunes"),
    )
    with django_assert_max_num_queries(20) as small_queries:
        client.get(url("post", commune, small.pk))
    with django_assert_max_num_queries(len(small_queries)):
        client.get(url("post", commune, large.pk))

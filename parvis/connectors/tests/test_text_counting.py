import pytest

from parvis.connectors import text
from parvis.connectors.base import Limits, MediaItem

LONG_URL = "https://www.saint-malo.fr/actualites/travaux-de-voirie-rue-de-dinan-2026"


def test_x_counts_urls_as_23_and_emoji_and_cjk_as_two():
    assert text.count_x("Bonjour") == 7
    assert text.count_x(f"Voir {LONG_URL}") == 5 + 23
    assert text.count_x("🇫🇷") == 2
    assert text.count_x("你好") == 4
    assert text.count_x("é" * 280) == 280


def test_bluesky_counts_graphemes_not_code_points():
    family = "👨‍👩‍👧‍👦"
    assert len(family) == 7
    assert text.count_graphemes(family) == 1
    assert text.count_graphemes("e\u0301té") == 3


def test_mastodon_counts_each_url_as_23_characters():
    assert text.count_with_url_length(f"Lien : {LONG_URL}", 23) == 7 + 23
    assert text.count_with_url_length("sans lien", 23) == 9


def test_hashtags_and_mentions_are_found_but_not_in_urls_or_emails():
    sample = (
        "Fête du #NautismeMalouin avec @ville@mastodon.social, pas mail@ici.fr #2026"
    )
    assert text.find_hashtags(sample) == ["NautismeMalouin"]
    assert text.find_mentions(sample) == ["ville@mastodon.social"]


def test_a_long_text_splits_on_sentences_into_numbered_valid_parts():
    sentences = [
        f"Phrase numéro {n} : la rue de Dinan sera fermée du lundi au vendredi."
        for n in range(1, 12)
    ]
    parts = text.split_thread(" ".join(sentences), max_chars=280, count=text.count_x)
    assert len(parts) > 1
    assert all(text.count_x(part) <= 280 for part in parts)
    assert parts[0].endswith(f" 1/{len(parts)}")
    assert parts[-1].endswith(f" {len(parts)}/{len(parts)}")
    rebuilt = " ".join(part.rsplit(" ", 1)[0] for part in parts)
    assert rebuilt == " ".join(sentences)  # nothing lost, every cut at a sentence end


def test_a_text_that_fits_stays_whole_and_unnumbered():
    assert text.split_thread("Court.", max_chars=300, count=len) == ["Court."]


def test_problems_are_explained_in_french():
    limits = Limits(max_chars=10, max_images=1, max_hashtags=1)
    problems = text.draft_problems(
        parts=["Un texte bien trop long #Un #Deux"],
        media=[MediaItem(b"x", "image/png", ""), MediaItem(b"x", "image/png", "a")],
        limits=limits,
        max_chars=10,
        count=len,
        threads=False,
        images=True,
        label="Réseau",
    )
    joined = " ".join(problems)
    assert "au-delà de la limite de 10" in joined
    assert "mots-dièse" in joined
    assert "2 images" in joined
    assert "texte alternatif" in joined


@pytest.mark.parametrize(
    ("published", "draft"),
    [
        ("Travaux rue de Dinan https://t.co/abc", f"Travaux rue de Dinan {LONG_URL}"),
        ("<p>Travaux  RUE de Dinan</p>", "Travaux rue de Dinan"),
    ],
)
def test_our_own_post_is_recognised_after_the_network_rewrites_it(published, draft):
    assert text.comparable(published) == text.comparable(draft)

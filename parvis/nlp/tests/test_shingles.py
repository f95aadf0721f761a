import pytest

from parvis.nlp.shingles import containment, shingles

SOURCE = (
    "La Ville de Saint-Malo organise la fête de la musique le samedi 21 juin. Des "
    "concerts gratuits auront lieu place Chateaubriand et dans les rues de la ville."
)


def test_a_verbatim_excerpt_is_fully_contained():
    excerpt = "La Ville de Saint-Malo organise la fête de la musique le samedi 21 juin."
    assert containment(excerpt, SOURCE) == 1.0


def test_case_apostrophes_spaces_and_links_do_not_hide_a_copy():
    excerpt = (
        "la ville de SAINT-MALO  organise la fête de la musique "
        "https://www.ville.fr/fete"
    )
    assert containment(excerpt, SOURCE) == 1.0


def test_a_rewritten_message_is_hardly_contained():
    rewrite = "Samedi 21 juin, la musique envahit Saint-Malo : venez jouer ou écouter !"
    assert containment(rewrite, SOURCE) == 0.0


def test_a_half_copied_message_scores_in_between():
    mixed = (
        "Des concerts gratuits auront lieu place Chateaubriand. "
        "Venez avec vos amis, vos voisins et toute votre famille !"
    )
    assert 0.2 < containment(mixed, SOURCE) < 0.8


def test_a_candidate_shorter_than_k_words_scores_zero():
    assert containment("fête de la musique", SOURCE) == 0.0
    assert containment("fête de la musique", SOURCE, k=3) == 1.0


@pytest.mark.parametrize("k", [1, 3, 5])
def test_shingles_are_runs_of_k_words(k):
    assert len(shingles("un deux trois quatre cinq", k)) == 5 - k + 1

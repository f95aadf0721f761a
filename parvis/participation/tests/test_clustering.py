"""Themes and near-duplicates of contributions, on contributions written for these
tests: four clearly distinct subjects of a commune, twelve contributions each."""

import csv
import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from sklearn.metrics import adjusted_rand_score

from parvis.participation.clustering import (
    OTHER,
    assign,
    cluster_texts,
    find_duplicates,
    merge,
    rename,
    split,
)

CYCLING = [
    "Il faut plus de pistes cyclables sécurisées dans le centre-ville.",
    "Les pistes cyclables s'arrêtent avant le rond-point, c'est dangereux à vélo.",
    "Créer une piste cyclable séparée de la route entre le collège et la gare.",
    "Je vais au travail à vélo et les voitures se garent sur la piste cyclable.",
    "Des arceaux pour garer les vélos devant la mairie et la médiathèque.",
    "Une piste cyclable le long du canal permettrait d'aller au lycée à vélo.",
    "Les enfants ne vont pas à l'école à vélo, les pistes cyclables sont étroites.",
    "Peindre les pistes cyclables en couleur pour que les automobilistes les voient.",
    "Un double sens cyclable dans les petites rues du quartier de la gare.",
    "Installer un parking à vélos couvert et sécurisé près de la gare.",
    "La piste cyclable de l'avenue Jean-Jaurès est pleine de trous.",
    "Relier les villages voisins par des pistes cyclables pour éviter la voiture.",
]
CANTEEN = [
    "Des repas bio et locaux à la cantine de l'école primaire.",
    "La cantine scolaire devrait proposer un menu végétarien chaque jour.",
    "Acheter les légumes de la cantine aux maraîchers de la commune.",
    "Trop de gaspillage à la cantine : servir des portions adaptées aux enfants.",
    "Les repas de la cantine arrivent réchauffés, il faut une cuisine sur place.",
    "Passer à 50 % de produits bio dans les repas de la restauration scolaire.",
    "Le prix de la cantine est trop élevé pour les familles nombreuses.",
    "Plus de fruits frais et moins de desserts industriels à la cantine.",
    "Supprimer le plastique dans les barquettes des repas de la cantine.",
    "Associer les parents d'élèves au choix des menus de la cantine scolaire.",
    "Un composteur à la cantine pour les restes des repas des enfants.",
    "La viande de la cantine devrait venir des élevages du département, en bio.",
]
PARK = [
    "Le parc est mal éclairé le soir, on ne se sent pas en sécurité.",
    "Ajouter des lampadaires dans l'allée du parc qui mène à la gare.",
    "L'éclairage public du square s'éteint trop tôt, les promeneurs sont dans le noir.",
    "Remplacer les vieux lampadaires du parc par des LED moins gourmandes.",
    "Des bancs et des poubelles supplémentaires dans le parc municipal.",
    "Ouvrir le parc plus tard le soir en été avec un éclairage adapté.",
    "Les jeux pour enfants du parc sont abîmés, il faut les réparer.",
    "Éteindre l'éclairage des rues la nuit pour économiser, sauf dans le parc.",
    "Planter des arbres et des fleurs dans le parc pour avoir de l'ombre.",
    "Installer des toilettes publiques dans le parc près de l'aire de jeux.",
    "Un éclairage qui s'allume au passage des promeneurs dans le parc.",
    "Le parc devrait être fermé la nuit, il y a du bruit tard le soir.",
]
POOL = [
    "La piscine municipale devrait ouvrir plus tôt le matin pour nager avant le travail.",
    "Ouvrir la piscine le dimanche après-midi pour les familles.",
    "Les horaires de la piscine ne conviennent pas aux personnes qui travaillent.",
    "Prolonger l'ouverture de la piscine jusqu'à 21 heures en semaine.",
    "Des créneaux de piscine réservés aux nageurs, sans les écoles.",
    "La piscine est fermée pendant les vacances scolaires, c'est dommage.",
    "Baisser le tarif de l'entrée à la piscine pour les étudiants.",
    "Des cours de natation pour adultes à la piscine le soir.",
    "Le bassin de la piscine est trop souvent réservé aux clubs.",
    "Ouvrir la piscine en nocturne le vendredi soir pendant l'été.",
    "Les vestiaires de la piscine sont sales et les douches sont froides.",
    "La piscine pourrait ouvrir entre midi et deux pour les salariés.",
]
SUBJECTS = [CYCLING, CANTEEN, PARK, POOL]
TEXTS = [text for subject in SUBJECTS for text in subject]
TRUTH = [number for number, subject in enumerate(SUBJECTS) for _ in subject]
LILLE = Path("/work/shared/data/lille_decidim_proposals.csv")


@pytest.fixture(scope="module")
def fast_clustering():
    return cluster_texts(TEXTS, path="fast")


def test_near_duplicates_point_to_their_first_occurrence():
    texts = [
        "Il faut plus de pistes cyclables sécurisées dans le centre-ville.",
        "Ouvrir la piscine le dimanche après-midi pour les familles.",
        "il faut plus de pistes cyclables securisees dans le centre ville !!",
        "Bonjour, il faut plus de pistes cyclabels sécurisées dans le centre-ville",
    ]
    assert find_duplicates(texts) == [0, 1, 0, 0]


def test_two_ideas_on_the_same_subject_are_not_duplicates():
    texts = [
        "Créer une piste cyclable rue de la République jusqu'à la gare.",
        "Créer une piste cyclable rue Pasteur jusqu'à la gare.",
        "Il faut ouvrir la piscine le dimanche matin.",
        "Il ne faut pas ouvrir la piscine le dimanche matin.",
    ]
    assert find_duplicates(texts) == [0, 1, 2, 3]


def test_planted_subjects_come_out_as_themes_on_the_fast_path(fast_clustering):
    assert adjusted_rand_score(TRUTH, fast_clustering.assignments) >= 0.8
    assert len(fast_clustering.themes) == 4


@pytest.mark.slow
def test_planted_subjects_come_out_as_themes_with_the_encoder():
    clustering = cluster_texts(TEXTS, path="encoder")
    assert adjusted_rand_score(TRUTH, clustering.assignments) >= 0.8
    assert clustering.path == "encoder"


def test_labels_hold_the_characteristic_lemmas(fast_clustering):
    labels = " ".join(theme.label for theme in fast_clustering.themes.values())
    for lemma in ("cyclable", "cantine", "parc", "piscine"):
        assert lemma in labels


def test_other_stays_small_and_sizes_count_every_contribution(fast_clustering):
    assert fast_clustering.assignments.count(OTHER) <= len(TEXTS) * 0.05
    sizes = sum(theme.size for theme in fast_clustering.themes.values())
    assert sizes + fast_clustering.assignments.count(OTHER) == len(TEXTS)


def test_representatives_belong_to_their_theme(fast_clustering):
    for theme in fast_clustering.themes.values():
        assert len(theme.representatives) == 3
        for index in theme.representatives:
            assert fast_clustering.assignments[index] == theme.id


def test_duplicates_count_as_supporters_of_the_theme():
    texts = [*TEXTS, CYCLING[0].upper(), CYCLING[0] + " Merci !"]
    clustering = cluster_texts(texts, path="fast")
    cycling = clustering.assignments[0]
    assert clustering.duplicate_of[-2:] == (0, 0)
    assert clustering.assignments[-2:] == (cycling, cycling)
    assert clustering.themes[cycling].size == clustering.assignments.count(cycling)


def test_assign_keeps_ids_and_labels_and_puts_off_topic_text_in_other(
    fast_clustering,
):
    before = {key: theme.label for key, theme in fast_clustering.themes.items()}
    updated = assign(
        [
            "Encore plus de pistes cyclables pour aller à vélo au collège.",
            "Mon chat roux a disparu, il répond au nom de Caramel.",
            POOL[1],
        ],
        fast_clustering,
    )
    assert {key: theme.label for key, theme in updated.themes.items()} == before
    new = updated.assignments[-3:]
    assert new[0] == fast_clustering.assignments[0]
    assert new[1] == OTHER
    assert new[2] == fast_clustering.assignments[len(TEXTS) - 11]
    assert updated.duplicate_of[-1] == len(TEXTS) - 11


def test_merge_keeps_the_first_id_and_rename_sticks(fast_clustering):
    cycling, pool = fast_clustering.assignments[0], fast_clustering.assignments[-1]
    renamed = rename(fast_clustering, cycling, "Vélo et piscine")
    merged = merge(renamed, cycling, pool)
    assert pool not in merged.themes
    assert merged.themes[cycling].label == "Vélo et piscine"
    assert merged.themes[cycling].size == 24
    assert set(merged.themes) == set(fast_clustering.themes) - {pool}


def test_split_gives_new_ids_and_keeps_the_others(fast_clustering):
    cycling, pool = fast_clustering.assignments[0], fast_clustering.assignments[-1]
    merged = merge(fast_clustering, cycling, pool)
    parts = split(merged, cycling, k=2)
    assert len(parts.themes) == len(fast_clustering.themes)
    new_id = max(parts.themes)
    assert new_id == fast_clustering.next_id
    assert {parts.assignments[0], parts.assignments[-1]} == {cycling, new_id}
    assert adjusted_rand_score(TRUTH, parts.assignments) >= 0.8


def write_csv(path: Path, rows: list[dict[str, str]]) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


@pytest.mark.slow
def test_cluster_command_adds_three_columns_and_keeps_the_others(tmp_path):
    rows = [{"id": str(n), "text": text} for n, text in enumerate(TEXTS)]
    rows.append({"id": "copy", "text": CYCLING[0].lower()})
    write_csv(tmp_path / "in.csv", rows)
    out = io.StringIO()
    call_command("cluster", str(tmp_path / "in.csv"), "--fast", stdout=out)
    result = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert list(result[0]) == ["id", "text", "theme", "theme_label", "duplicate_of"]
    assert [row["id"] for row in result] == [row["id"] for row in rows]
    assert result[-1]["duplicate_of"] == "1"
    assert result[-1]["theme"] == result[0]["theme"]
    assert result[1]["duplicate_of"] == ""
    assert "cyclable" in result[0]["theme_label"]


def test_cluster_command_explains_a_missing_file(tmp_path):
    with pytest.raises(CommandError, match="No such file"):
        call_command("cluster", str(tmp_path / "absent.csv"))


def test_cluster_command_explains_a_missing_text_column(tmp_path):
    write_csv(tmp_path / "in.csv", [{"id": "1", "body": "Plus de bancs"}])
    with pytest.raises(CommandError, match="no `text` column"):
        call_command("cluster", str(tmp_path / "in.csv"))


@pytest.mark.slow
@pytest.mark.skipif(not LILLE.exists(), reason=f"{LILLE} is not on this machine")
def test_lille_proposals_match_their_categories_above_the_measured_floor():
    # Measured 2026-11-27: ARI 0.191 with the encoder (docs/participation-clustering.md).
    with LILLE.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    clustering = cluster_texts([f"{r['title']}. {r['body']}" for r in rows])
    labelled = [n for n, row in enumerate(rows) if row["category"]]
    score = adjusted_rand_score(
        [rows[n]["category"] for n in labelled],
        [clustering.assignments[n] for n in labelled],
    )
    assert score >= 0.15
    assert clustering.assignments.count(OTHER) <= len(rows) * 0.05

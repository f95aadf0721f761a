"""Participation: themes and near-duplicates of 100,000 contributions to a consultation
(target: under 120 s and 2 GB peak memory on 2 CPUs), and opinion groups of 10,000
participants × 1,000 statements with sparse votes (target: under 10 s).

Opinion groups run first (their peak memory is read before the clustering's). The
votes are planted: four opinion groups of unequal sizes (40, 30, 20 and 10 % of the
participants); each agrees with its own block of statements and disagrees with the
other groups' blocks, everyone agrees with 40 consensus statements; every vote is
flipped with probability 0.1, and each participant votes on 5 to 10 % of the
statements (about 750,000 votes). The time covers the whole analysis from the list of
`(participant, statement, vote)` tuples; the adjusted Rand index compares the groups
found with the planted ones (the lowest of the runs is reported).

The contributions are recombined from French sentences written for this benchmark:
for one of 12 subjects of a commune, a proposal (with a place), one or two reasons,
sometimes an opening or a closing. About 15 % are planted near-duplicates of an
earlier contribution (case, accents, punctuation, a typo, "Bonjour" or "svp" added);
apart from those, no two contributions are the same. `cluster_texts` runs on the
fast path (TF-IDF mapped to the sentence encoder's space from a sample of 2,000).

    .venv/bin/python benchmarks/participation.py            # 100,000; 10,000 × 1,000, 3 runs
    .venv/bin/python benchmarks/participation.py --quick    # 10,000; 2,000 × 300, 1 run
"""

import argparse
import json
import random
import resource
import statistics
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PLACES = [
    f"{kind} {name}"
    for kind in ["la rue", "l'avenue", "le quartier", "la place", "le chemin", "l'allée"]
    for name in [
        "Pasteur", "Victor-Hugo", "Jean-Jaurès", "des Tilleuls", "du Moulin",
        "de la Gare", "Saint-Michel", "des Écoles", "du Stade", "de la Mairie",
        "Jules-Ferry", "des Lilas", "du Port", "de l'Église", "Louise-Michel",
        "des Peupliers", "du Château", "de la Libération", "Gambetta", "des Prés",
    ]
]  # fmt: skip
# subject: (proposals with {place}, reasons)
SUBJECTS = {
    "vélo": (
        [
            "Créer une piste cyclable séparée des voitures dans {place}.",
            "Installer des arceaux pour garer les vélos dans {place}.",
            "Mettre un double sens cyclable dans {place}.",
            "Relier {place} au collège par une piste cyclable continue.",
        ],
        [
            "Les enfants pourraient aller à l'école à vélo en sécurité.",
            "Aujourd'hui les voitures frôlent les cyclistes.",
            "Beaucoup de gens prendraient le vélo au lieu de la voiture.",
            "La piste actuelle s'arrête au milieu du carrefour.",
        ],
    ),
    "cantine": (
        [
            "Servir des repas bio et locaux à la cantine de l'école près de {place}.",
            "Proposer un menu végétarien chaque jour à la cantine scolaire.",
            "Acheter les légumes de la cantine aux maraîchers proches de {place}.",
            "Réduire le gaspillage de nourriture à la cantine.",
        ],
        [
            "Les enfants mangent mieux quand les produits sont frais.",
            "Les agriculteurs de la commune y gagneraient.",
            "Trop de plateaux repartent à moitié pleins.",
            "Le prix des repas reste trop élevé pour les familles.",
        ],
    ),
    "éclairage": (
        [
            "Améliorer l'éclairage public dans {place}, trop sombre le soir.",
            "Remplacer les lampadaires de {place} par des LED.",
            "Éteindre l'éclairage des rues au cœur de la nuit sauf dans {place}.",
            "Installer un éclairage qui s'allume au passage des piétons dans {place}.",
        ],
        [
            "On ne se sent pas en sécurité en rentrant à pied.",
            "La facture d'électricité de la commune baisserait.",
            "Les étoiles et les oiseaux de nuit en profiteraient.",
            "Plusieurs lampadaires sont en panne depuis des mois.",
        ],
    ),
    "piscine": (
        [
            "Ouvrir la piscine municipale plus tôt le matin.",
            "Prolonger les horaires de la piscine le soir en semaine.",
            "Ouvrir la piscine le dimanche après-midi pour les familles.",
            "Baisser le tarif de la piscine pour les étudiants et les retraités.",
        ],
        [
            "Les gens qui travaillent ne peuvent jamais nager.",
            "Les lignes d'eau sont toujours réservées aux clubs.",
            "Les enfants doivent apprendre à nager avant le collège.",
            "La piscine de la ville voisine le fait déjà.",
        ],
    ),
    "propreté": (
        [
            "Ajouter des poubelles et des cendriers dans {place}.",
            "Ramasser les encombrants plus souvent dans {place}.",
            "Installer des composteurs partagés dans {place}.",
            "Verbaliser les dépôts sauvages de déchets dans {place}.",
        ],
        [
            "Les trottoirs sont couverts de papiers et de mégots.",
            "Les sacs éventrés attirent les rats et les goélands.",
            "Les habitants trieraient davantage leurs déchets.",
            "Le quartier donne une mauvaise image aux visiteurs.",
        ],
    ),
    "bus": (
        [
            "Faire passer le bus plus souvent dans {place}.",
            "Créer une ligne de bus entre {place} et l'hôpital.",
            "Mettre des abris à chaque arrêt de bus de {place}.",
            "Rendre le bus gratuit le samedi pour aller au marché.",
        ],
        [
            "Attendre quarante minutes sous la pluie décourage tout le monde.",
            "Les personnes âgées n'ont pas de voiture.",
            "Les lycéens doivent se faire conduire par leurs parents.",
            "Il y aurait moins de voitures dans le centre.",
        ],
    ),
    "stationnement": (
        [
            "Créer un parking relais à l'entrée de {place}.",
            "Rendre le stationnement gratuit la première demi-heure dans {place}.",
            "Limiter la durée du stationnement dans {place} pour les commerces.",
            "Réserver plus de places aux personnes handicapées dans {place}.",
        ],
        [
            "Les voitures ventouses occupent les places toute la journée.",
            "Les clients des commerces ne trouvent jamais de place.",
            "Les riverains tournent longtemps le soir pour se garer.",
            "Les trottoirs sont envahis par les voitures garées.",
        ],
    ),
    "jeunesse": (
        [
            "Ouvrir un local pour les jeunes dans {place}.",
            "Créer un skatepark près de {place}.",
            "Organiser des activités pour les adolescents pendant les vacances.",
            "Installer un terrain multisport dans {place}.",
        ],
        [
            "Les ados n'ont aucun endroit pour se retrouver.",
            "Les jeunes s'ennuient et traînent dans les halls.",
            "Les familles n'ont pas les moyens de payer des stages.",
            "Le sport évite bien des bêtises.",
        ],
    ),
    "espaces verts": (
        [
            "Planter des arbres dans {place} pour avoir de l'ombre.",
            "Transformer la friche de {place} en jardin partagé.",
            "Créer un parc avec des bancs et des jeux dans {place}.",
            "Désimperméabiliser la cour de l'école près de {place}.",
        ],
        [
            "Il fait de plus en plus chaud l'été dans les rues.",
            "Les habitants des immeubles n'ont pas de jardin.",
            "La biodiversité recule en ville.",
            "Les enfants ont besoin de nature près de chez eux.",
        ],
    ),
    "sécurité routière": (
        [
            "Installer des ralentisseurs dans {place}.",
            "Limiter la vitesse à 30 km/h dans {place}.",
            "Sécuriser le passage piéton devant l'école de {place}.",
            "Mettre un radar pédagogique à l'entrée de {place}.",
        ],
        [
            "Les voitures roulent beaucoup trop vite devant les maisons.",
            "Un enfant a failli être renversé le mois dernier.",
            "Les personnes âgées ont peur de traverser.",
            "Le bruit des voitures empêche de dormir.",
        ],
    ),
    "santé": (
        [
            "Ouvrir une maison de santé dans {place}.",
            "Attirer de nouveaux médecins généralistes dans la commune.",
            "Installer un défibrillateur dans {place}.",
            "Organiser un bus de dépistage dans {place} chaque mois.",
        ],
        [
            "Il faut trois mois pour obtenir un rendez-vous chez le médecin.",
            "Les urgences de l'hôpital sont saturées.",
            "Beaucoup d'habitants n'ont plus de médecin traitant.",
            "Les personnes âgées ne peuvent pas aller loin pour se soigner.",
        ],
    ),
    "culture": (
        [
            "Ouvrir la médiathèque le dimanche matin.",
            "Organiser des concerts gratuits l'été dans {place}.",
            "Créer une fresque murale avec les habitants de {place}.",
            "Proposer des ateliers de théâtre pour les enfants dans {place}.",
        ],
        [
            "La culture doit être accessible à tous.",
            "Les familles n'ont pas toujours les moyens d'aller au spectacle.",
            "Cela ferait vivre le quartier le soir.",
            "Les artistes de la commune ne trouvent pas de salle.",
        ],
    ),
}
OPENINGS = ["", "", "", "Je propose de ", "Il faudrait ", "Ce serait bien de "]
CLOSINGS = ["", "", "", " Merci.", " Merci pour cette consultation.", " À étudier !"]


def contribution(generator: random.Random, subject: str) -> tuple[str, tuple[str, str]]:
    proposals, reasons = SUBJECTS[subject]
    template, place = generator.choice(proposals), generator.choice(PLACES)
    proposal = template.format(place=place)
    opening = generator.choice(OPENINGS)
    if opening:
        proposal = opening + proposal[0].lower() + proposal[1:]
    chosen = generator.sample(reasons, generator.choice([1, 1, 2]))
    text = " ".join([proposal, *chosen]) + generator.choice(CLOSINGS)
    text = text.replace(" de le ", " du ")
    return text, (template, place if "{place}" in template else "")


def near_duplicate(generator: random.Random, text: str) -> str:
    """`text` with small edits: what the same person posts again."""
    edit = generator.randrange(5)
    if edit == 0:
        return text.lower()
    if edit == 1:
        return "Bonjour, " + text[0].lower() + text[1:]
    if edit == 2:
        return text.replace(".", " !").replace("é", "e").replace("à", "a")
    if edit == 3:
        return text.rstrip(".!") + " svp"
    words = text.split()
    position = generator.randrange(len(words))
    word = words[position]
    if len(word) > 3:
        words[position] = word[0] + word[2] + word[1] + word[3:]  # a typo
    return " ".join(words)


def contributions(
    count: int, seed: int
) -> tuple[list[str], list[int], list[tuple[str, str]]]:
    """`count` contributions; for each, the index of the one it copies (or -1) and
    its idea (the proposal and its place)."""
    generator = random.Random(seed)
    texts: list[str] = []
    copies: list[int] = []
    ideas: list[tuple[str, str]] = []
    seen: set[str] = set()
    subjects = sorted(SUBJECTS)
    while len(texts) < count:
        if texts and generator.random() < 0.15:
            source = generator.randrange(len(texts))
            source = copies[source] if copies[source] >= 0 else source
            text, copied = near_duplicate(generator, texts[source]), source
            idea = ideas[source]
        else:
            text, idea = contribution(generator, generator.choice(subjects))
            copied = -1
        if text in seen:
            continue
        seen.add(text)
        texts.append(text)
        copies.append(copied)
        ideas.append(idea)
    return texts, copies, ideas


def peak_rss_mb() -> tuple[float, float]:
    """Peak RSS of this process and of its largest child, in MB. A child forked by
    a library (a CPU count) reports the parent's pages as its own, so the two are
    given apart rather than summed."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return own / 1024, children / 1024


GROUP_SHARES = (0.4, 0.3, 0.2, 0.1)
CONSENSUS = 40
FLIP = 0.1
DENSITY = (0.05, 0.10)


def planted_votes(
    participants: int, statements: int, seed: int
) -> tuple[list[tuple[str, str, int]], dict[str, int]]:
    """Votes and the planted group of every participant."""
    generator = np.random.default_rng(seed)
    groups = len(GROUP_SHARES)
    truth = generator.choice(groups, size=participants, p=GROUP_SHARES)
    block = (statements - CONSENSUS) // groups
    owner = np.full(statements, -1)
    owner[: block * groups] = np.repeat(np.arange(groups), block)
    density = generator.uniform(*DENSITY, size=participants)
    voted = generator.random((participants, statements)) < density[:, None]
    rows, columns = np.nonzero(voted)
    opinion = np.where(owner[columns] == truth[rows], 1, -1)
    opinion[owner[columns] == -1] = 1
    flipped = generator.random(len(rows)) < FLIP
    opinion[flipped] = -opinion[flipped]
    names = [f"participant-{index}" for index in range(participants)]
    statement_names = [f"statement-{index}" for index in range(statements)]
    votes = [
        (names[row], statement_names[column], vote)
        for row, column, vote in zip(
            rows.tolist(), columns.tolist(), opinion.tolist(), strict=True
        )
    ]
    return votes, {names[index]: int(group) for index, group in enumerate(truth)}


def bench_opinions(args: argparse.Namespace) -> dict:
    """`analyse_opinions` on planted votes, `args.repeat` times."""
    from sklearn.metrics import adjusted_rand_score

    from parvis.participation.opinions import analyse_opinions

    durations, scores, ks = [], [], []
    votes_count = 0
    for repetition in range(args.repeat):
        votes, truth = planted_votes(args.participants, args.statements, repetition)
        votes_count = len(votes)
        started = time.perf_counter()
        result = analyse_opinions(votes)
        elapsed = time.perf_counter() - started
        found = {
            member: group.number for group in result.groups for member in group.members
        }
        score = adjusted_rand_score(
            [truth[member] for member in found], list(found.values())
        )
        durations.append(elapsed)
        scores.append(score)
        ks.append(result.k)
        print(
            f"opinions run {repetition + 1}: {len(votes)} votes in {elapsed:.2f} s, "
            f"k={result.k}, ARI {score:.3f}, "
            f"{result.participants_excluded} participants excluded, "
            f"{len(result.consensus_agree)} consensus statements",
            flush=True,
        )
    return {
        "participants": args.participants,
        "statements": args.statements,
        "votes": votes_count,
        "median_seconds": round(statistics.median(durations), 3),
        "runs": [round(duration, 3) for duration in durations],
        "peak_rss_mb": round(peak_rss_mb()[0], 1),
        "adjusted_rand_index": round(min(scores), 3),
        "k_chosen": ks,
        "k_planted": len(GROUP_SHARES),
    }


def bench_clustering(args: argparse.Namespace) -> dict:
    """Cluster `args.contributions` generated contributions once; print one line."""
    from parvis.participation.clustering import OTHER, cluster_texts

    texts, copies, ideas = contributions(args.contributions, seed=0)
    started = time.perf_counter()
    clustering = cluster_texts(texts, path="fast")
    elapsed = time.perf_counter() - started
    found = {i for i, first in enumerate(clustering.duplicate_of) if first != i}
    planted = {i for i, copied in enumerate(copies) if copied >= 0}
    # A duplicate found is wrong when its first text is another idea (another
    # proposal or place); the same proposal and place with another reason is not.
    same_idea = {i for i in found if ideas[i] == ideas[clustering.duplicate_of[i]]}
    other = clustering.assignments.count(OTHER) / len(texts)
    print(
        f"clustering: {len(texts)} contributions in {elapsed:.1f} s, "
        f"{len(clustering.themes)} themes, other {other:.1%}, "
        f"{len(found)} duplicates found ({len(planted)} planted, "
        f"{len(found & planted)} of them found; {len(found - same_idea)} found "
        "between different ideas)",
        flush=True,
    )
    for theme in list(clustering.themes.values())[:30]:
        print(f"  {theme.id:>3} {theme.size:>6}  {theme.label}")
    return {
        "contributions": len(texts),
        "seconds": round(elapsed, 1),
        "themes": len(clustering.themes),
        "other_share": round(other, 4),
        "duplicates_found": len(found),
        "duplicates_planted": len(planted),
        "duplicates_of_another_idea": len(found - same_idea),
        "duplicate_recall": round(len(found & planted) / max(1, len(planted)), 4),
        "peak_rss_mb": round(peak_rss_mb()[0], 1),
        "children_peak_rss_mb": round(peak_rss_mb()[1], 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--contributions", type=int, default=100_000)
    parser.add_argument("--participants", type=int, default=10_000)
    parser.add_argument("--statements", type=int, default=1_000)
    parser.add_argument("--repeat", type=int, default=3, help="opinion runs (3)")
    args = parser.parse_args()
    if args.quick:
        args.contributions = 10_000
        args.participants, args.statements, args.repeat = 2_000, 300, 1
    opinions = bench_opinions(args)
    clustering = bench_clustering(args)
    print(json.dumps({"opinions": opinions, "clustering": clustering}))


if __name__ == "__main__":
    main()

"""A generated population of authorities for the barometer, with its ground truth.

Each authority is planted with a communication style, and the shares the barometer
must find are counted from the plan, not from the barometer's code:

- `specific`: every post written for the network, or all but one in ten at most
  (≥ 80 % written);
- `republishing`: at least half of the posts copy a website article, whole,
  truncated with "…", with or without the link, in other letter cases;
- `mixed`: three or four posts in ten copied (neither specific nor republishing);
- `silent`: accounts but no post.

Posts written for the network reuse the practical facts of the article (the date, the
place) as real community managers do. Reach is planted as an exact rate of the
followers for unsponsored posts; one authority in eight sponsors one post. Used by the
tests (500 authorities) and by `benchmarks/barometer.py` (35,000 and 5 million posts).
"""

import csv
import random
import statistics
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from parvis.insights.barometer import KINDS, NETWORKS, population_band
from parvis.insights.barometer_input import COLUMNS

STYLES = ("specific", "republishing", "mixed", "silent")
HEADER = list(COLUMNS)

_SUBJECTS = (
    "La municipalité",
    "Le conseil départemental",
    "La communauté de communes",
    "Le service des espaces verts",
    "La médiathèque",
    "Le centre communal d'action sociale",
    "La direction de la voirie",
    "Le conseil régional",
    "L'office de tourisme",
    "Le pôle petite enfance",
)
_VERBS = (
    "engage des travaux de réfection sur",
    "organise une réunion publique au sujet de",
    "lance une consultation des habitants concernant",
    "renforce le dispositif d'accompagnement pour",
    "présente le calendrier prévisionnel de",
    "rappelle les consignes de sécurité relatives à",
    "met en place une déviation provisoire autour de",
    "ouvre les inscriptions pour",
)
_OBJECTS = (
    "la rénovation énergétique des écoles élémentaires",
    "l'aménagement cyclable de l'avenue principale",
    "la collecte des encombrants dans les quartiers nord",
    "le renouvellement du réseau d'eau potable",
    "les activités périscolaires de la rentrée",
    "la restauration de l'église classée",
    "le plan de circulation du centre historique",
    "l'extension de la zone d'activités économiques",
    "le festival des arts de la rue",
    "la plantation de haies bocagères",
)
_DETAILS = (
    "Les riverains recevront un courrier détaillant les modalités pratiques.",
    "Le chantier se déroulera en plusieurs phases afin de limiter la gêne occasionnée.",
    "Les dossiers complets doivent être déposés avant la date limite indiquée.",
    "Une permanence est assurée en mairie chaque mardi matin.",
    "Le financement est assuré avec le soutien de l'État et de la région.",
    "Les horaires d'ouverture restent inchangés pendant toute la durée de l'opération.",
    "Un registre est mis à disposition du public pour recueillir les observations.",
    "La circulation sera alternée par feux tricolores aux heures de pointe.",
)
_OPENERS = (
    "📣 On vous attend",
    "👉 Bonne nouvelle pour le quartier",
    "Vous nous l'aviez demandé",
    "🚧 Attention chantier",
    "C'est parti",
    "Petit rappel du jour",
    "Envie de donner votre avis",
    "Save the date",
)
_CALLS = (
    "Venez nombreux, on compte sur vous !",
    "Partagez autour de vous 🙏",
    "Dites-nous en commentaire ce que vous en pensez.",
    "Toutes les infos pratiques en lien.",
    "Une question ? Écrivez-nous en message privé.",
    "Merci de votre patience pendant les travaux 💪",
)
_DAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi")
_MONTHS = ("janvier", "mars", "avril", "mai", "juin", "septembre", "octobre")
_PLACES = ("place de la Mairie", "rue Pasteur", "salle des fêtes", "parc municipal")


@dataclass
class Planted:
    kind: str
    code: str
    style: str
    population: int | None
    networks: tuple[str, ...]
    posts: int
    republished: int
    sponsors: bool
    rate: float | None  # planted organic reach rate of every unsponsored post


@dataclass
class Population:
    authorities: list[Planted] = field(default_factory=list)

    def truth(self) -> dict[str, Any]:
        """The barometer's expected JSON figures (by_kind and all), from the plan."""

        def figures(group: list[Planted]) -> dict[str, Any]:
            total = len(group)
            rates = [a.rate for a in group if a.rate is not None]
            return {
                "authorities": total,
                "present": {
                    n: sum(n in a.networks for a in group) / total for n in NETWORKS
                },
                "specific_mode": sum(a.style == "specific" for a in group) / total,
                "republishing": sum(a.style == "republishing" for a in group) / total,
                "sponsoring": sum(a.sponsors for a in group) / total,
                "median_organic_reach_rate": (
                    statistics.median(rates) if rates else None
                ),
            }

        by_kind = {}
        for kind in KINDS:
            group = [a for a in self.authorities if a.kind == kind]
            if group:
                by_kind[kind] = figures(group)
        return {"by_kind": by_kind, "all": figures(self.authorities)}

    def bands(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for a in self.authorities:
            if a.kind == "commune":
                band = population_band(a.population)
                counts[band] = counts.get(band, 0) + 1
        return counts


def _article(rng: random.Random, number: int) -> str:
    day, month = rng.choice(_DAYS), rng.choice(_MONTHS)
    sentences = [
        f"{rng.choice(_SUBJECTS)} {rng.choice(_VERBS)} {rng.choice(_OBJECTS)}, "
        f"à partir du {day} {rng.randint(1, 28)} {month} (dossier {number}).",
        *(
            f"{rng.choice(_SUBJECTS)} {rng.choice(_VERBS)} {rng.choice(_OBJECTS)} "
            f"pour la tranche numéro {rng.randint(2, 900)}."
            for _ in range(rng.randint(1, 3))
        ),
        *rng.sample(_DETAILS, rng.randint(2, 4)),
        f"Rendez-vous {rng.choice(_PLACES)} pour en savoir plus.",
    ]
    return " ".join(sentences)


def _copy(rng: random.Random, article: str, url: str) -> str:
    """A republication: the article whole or cut, maybe with its link, maybe in
    capitals (a "À LA UNE" habit)."""
    way = rng.randrange(4)
    if way == 0:
        text = article
    elif way == 1:
        text = article[: max(60, len(article) * 2 // 3)].rsplit(" ", 1)[0] + "…"
    elif way == 2:
        text = f"{article} {url}"
    else:
        text = article.upper()
    return text


def _written(rng: random.Random, article: str) -> str:
    """A post written for the network: an opener, a fact, a call."""
    fact = f"{rng.choice(_DAYS)} {rng.randint(1, 28)} {rng.choice(_MONTHS)}"
    return (
        f"{rng.choice(_OPENERS)} ! Rendez-vous {fact}, {rng.choice(_PLACES)} 📍 "
        f"{rng.choice(_CALLS)}"
    )


def _plan_one(
    rng: random.Random,
    kind: str,
    number: int,
    mean_posts: int,
    populations: dict[str, int],
    communes: list[str],
    real_codes: dict[str, list[str]],
) -> Planted:
    style = rng.choices(STYLES, weights=(1, 5, 2, 1))[0]
    posts = 0 if style == "silent" else max(5, int(rng.expovariate(1 / mean_posts)))
    if style == "specific":
        republished = rng.randint(0, posts // 5)
    elif style == "republishing":
        republished = rng.randint((posts + 1) // 2, posts)
    elif style == "mixed":
        # Strictly between 20 % and 50 %.
        low, high = posts // 5 + 1, (posts - 1) // 2
        republished = rng.randint(low, high) if low <= high else -1
        if republished < 0:
            style, republished = "specific", 0
    else:
        republished = 0
    networks = tuple(n for n in NETWORKS if rng.random() < 0.5) or ("facebook",)
    sponsors = posts > 1 and rng.random() < 0.125
    rate = round(rng.uniform(0.01, 0.3), 4) if posts and rng.random() < 0.9 else None
    population = None
    code = {
        "region": f"{number:02d}",
        "departement": f"{number:03d}",
        "epci": f"2{number:08d}",
        "commune": f"{number:05d}",
    }[kind]
    if kind == "commune" and communes:
        code = communes.pop()  # one real code each, while there are some left
        population = populations[code]
    elif real_codes.get(kind):
        code = real_codes[kind].pop()
    return Planted(
        kind, code, style, population, networks, posts, republished, sponsors, rate
    )


def generate(
    out: IO[str],
    authorities: int = 500,
    *,
    mean_posts: int = 12,
    seed: int = 7,
    kinds_weights: tuple[int, ...] = (2, 8, 20, 70),
    populations: dict[str, int] | None = None,
    articles_per_post: float = 0.5,
    real_codes: dict[str, list[str]] | None = None,
) -> Population:
    """Write a barometer CSV of `authorities` to `out`, shuffled in blocks (an
    authority's rows are not contiguous), and return the plan. With `populations`
    (INSEE code -> population), communes take real codes, one each, so their
    population bands are known; else their population is unknown."""
    rng = random.Random(seed)
    populations = populations or {}
    communes = sorted(populations)
    rng.shuffle(communes)
    real_codes = {kind: list(codes) for kind, codes in (real_codes or {}).items()}
    population = Population()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    pending: list[list[str]] = []
    for number in range(1, authorities + 1):
        kind = rng.choices(KINDS, weights=kinds_weights)[0]
        if kind in real_codes and not real_codes[kind]:
            kind = "commune"  # no real code of that kind left
        planted = _plan_one(
            rng, kind, number, mean_posts, populations, communes, real_codes
        )
        population.authorities.append(planted)
        pending.extend(_rows_of(rng, planted, articles_per_post))
        if len(pending) > 5_000:
            rng.shuffle(pending)
            writer.writerows(pending)
            pending.clear()
    rng.shuffle(pending)
    writer.writerows(pending)
    return population


def _rows_of(
    rng: random.Random, a: Planted, articles_per_post: float
) -> Iterator[list[str]]:
    site = f"https://www.collectivite-{a.kind}-{a.code}.fr"
    posting = list(a.networks)
    followers = {n: 10_000 * rng.randint(1, 5) for n in posting}
    for network in posting:
        yield [
            a.kind,
            a.code,
            "account",
            network,
            f"https://{network}.example/{a.code}",
            "",
            "",
            "",
            "",
            str(followers[network]),
        ]
    articles = [_article(rng, i) for i in range(1 + int(a.posts * articles_per_post))]
    for i, article in enumerate(articles):
        yield [
            a.kind,
            a.code,
            "article",
            "website",
            f"{site}/actualites/{i}",
            "2026-03-01T09:00:00+01:00",
            article,
            "",
            "",
            "",
        ]
    sponsored_index = rng.randrange(a.posts) if a.sponsors else -1
    for i in range(a.posts):
        network = posting[i % len(posting)]
        article_number = rng.randrange(len(articles))
        article = articles[article_number]
        if i < a.republished:
            text = _copy(rng, article, f"{site}/actualites/{article_number}")
        else:
            text = _written(rng, article)
        sponsored = i == sponsored_index
        reach = ""
        post_followers = ""
        if a.rate is not None and not sponsored:
            # The post's own followers half the time, else the account's.
            if rng.random() < 0.5:
                count = 10_000 * rng.randint(1, 10)
                post_followers = str(count)
            else:
                count = followers[network]
            reach = _reach_for(a.rate, count)
        elif sponsored:
            reach = str(rng.randint(1_000, 90_000))
        yield [
            a.kind,
            a.code,
            "post",
            network,
            f"https://{network}.example/p/{i}",
            f"2026-03-{1 + i % 28:02d}T12:00:00+01:00",
            text,
            "true" if sponsored else "false",
            reach,
            post_followers,
        ]


def _reach_for(rate: float, followers: int) -> str:
    """A reach whose ratio to the followers is the planted rate exactly: the rate
    has four decimals and the followers are a multiple of 10,000."""
    return str(round(rate * 10_000) * (followers // 10_000))


def write_population(path: Path, authorities: int, **options: Any) -> Population:
    with path.open("w", encoding="utf-8", newline="") as handle:
        return generate(handle, authorities, **options)

"""The default good slots per network, read from `data/best_time_defaults.csv`.

Published studies of the best times to post, made on general audiences (brands and
companies using social media tools, often in the United States), adapted to a
French local authority's residents: lunchtime and early evening, office hours on
LinkedIn, never at night. None of them is about local authorities. The CSV header
says what each source found and what was chosen where they disagree:

- Sprout Social, "Report: best times to post to social platforms in 2023", via
  Social Media Today, 2023,
  https://www.socialmediatoday.com/news/report-best-times-to-post-social-platforms-twitter-instagram-tiktok-facebook-pintrist-linkedin/650006/
  (X and LinkedIn of the same study via O'Dwyer's, 2023,
  https://www.odwyerpr.com/story/public/19714/2023-06-07/midweek-afternoons-best-post-time-for-tiktok.html);
- Agorapulse, 3.3 million posts published in France in 2022, via Stratégies, 2023,
  https://strategies.fr/actualites/culture-tech/LQ1676965C/ce-que-les-community-managers-nous-apprennent-des-reseaux-sociaux.html
  and Bien Vu, 2023 (the hours),
  https://www.bienvu.ws/2023-09-18/reseaux-sociaux-a-quelle-heure-publier-vos-posts-pour-un-maximum-d-engagement/;
- Klout, 144 million posts, Paris among the cities, via Archimag, 2015,
  https://www.archimag.com/reseaux-sociaux/2015/10/13/meilleur-moment-publier-r%C3%A9seaux-sociaux;
- Mastodon and Bluesky: no published hourly study found. Their home timelines are
  chronological (Fedi.Tips,
  https://fedi.tips/what-are-the-local-federated-home-timelines-how-do-i-stop-them-scrolling-too-quickly;
  Bluesky documentation, https://docs.bsky.app/docs/tutorials/viewing-feeds), so a
  post is seen by whoever scrolls soon after: their defaults are the residents' usual
  moments seen on the other networks, on weekdays.

The sources are also lines of the CSV header (`# source: key | publisher | title |
year | url | language`), read here so that the page can show them.
"""

import re
from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DEFAULTS = Path(__file__).parent / "data" / "best_time_defaults.csv"
# The default's engagement index by rank; a slot the studies do not cite is 1.0.
PRIOR_BY_RANK = {1: 1.30, 2: 1.20, 3: 1.10}


@dataclass(frozen=True)
class Source:
    key: str
    publisher: str
    title: str
    year: int
    url: str
    language: str  # of the title, for the lang attribute

    @property
    def name(self) -> str:
        """The study's author alone: « Sprout Social »."""
        return re.split(r" \(|,", self.publisher)[0]


@dataclass(frozen=True)
class Default:
    """A slot the studies cite for a network: its rank (1 = best) and sources."""

    rank: int
    sources: tuple[Source, ...]

    @property
    def index(self) -> float:
        return PRIOR_BY_RANK[self.rank]


@cache
def defaults() -> tuple[dict[str, Source], dict[str, dict[tuple[int, int], Default]]]:
    """The sources, and per network the cited slots by (weekday 0 = Monday, hour);
    a slot cited on several lines keeps its best rank."""
    sources: dict[str, Source] = {}
    slots: dict[str, dict[tuple[int, int], Default]] = defaultdict(dict)
    with DEFAULTS.open(encoding="utf-8") as handle:
        lines = [line.strip() for line in handle if line.strip()]
    for line in lines:
        if line.startswith("# source:"):
            key, publisher, title, year, url, language = (
                cell.strip() for cell in line.removeprefix("# source:").split("|")
            )
            sources[key] = Source(key, publisher, title, int(year), url, language)
    rows = [line for line in lines if not line.startswith("#")]
    for row in rows[1:]:  # the first is the header
        network, weekdays, start, end, rank, keys = row.split(";")
        default = Default(int(rank), tuple(sources[key] for key in keys.split(",")))
        for iso_weekday in weekdays.split(","):
            for hour in range(int(start), int(end)):
                slot = (int(iso_weekday) - 1, hour)
                known = slots[network].get(slot)
                if known is None or default.rank < known.rank:
                    slots[network][slot] = default
    return sources, dict(slots)

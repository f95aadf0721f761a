"""Does a post republish one of the authority's website articles?

A post *republishes* when it is a near-copy of one of the same authority's website
articles, whole or truncated, with or without the link: most of its word shingles
(runs of 5 words of the normalised text, links left out, see `nlp.shingles`) occur in
one article. The share is the containment of the post in the article, so a post that
copies the first two sentences of a long article counts as much as one copying it all,
and a post written anew that quotes the date and the address does not.

The articles of an authority are indexed once (shingle -> articles holding it); each
post then costs one lookup per shingle, whatever the number of articles.
"""

import re
from collections.abc import Iterable

from parvis.nlp.shingles import shingles, word_shingles
from parvis.nlp.text import mask_links, normalize, words

# Share of a post's shingles found in one article from which it is a near-copy. The
# studio flags a variant from 70 % of the whole page (`studio.checks`): the same line.
NEAR_COPY = 0.7
SHINGLE_WORDS = 5
# Shorter posts use shingles as long as the post; under this, a post is too short to
# be called a copy ("Bonne année !" may appear in any article).
MIN_WORDS = 4


# What a republication adds after the copied text: "… Lire la suite", "En savoir
# plus :" (the link itself is left out by `words`).
TRAILING_CALL = re.compile(
    r"[\s.…:>»-]*(lire la suite|en savoir plus|plus d'infos?|voir plus|la suite)"
    r"[\s.…:>»-]*$"
)


def post_shingles(text: str) -> frozenset[tuple[str, ...]]:
    """The shingles a post is compared by (empty when it is too short to tell)."""
    tokens = words(TRAILING_CALL.sub("", normalize(mask_links(text)).strip()))
    if len(tokens) < MIN_WORDS:
        return frozenset()
    return word_shingles(tokens, min(SHINGLE_WORDS, len(tokens)))


class ArticleIndex:
    """The website articles of one authority, ready to be compared with its posts."""

    def __init__(self, articles: Iterable[str]) -> None:
        self._by_length: dict[int, dict[tuple[str, ...], list[int]]] = {}
        self._texts = list(articles)

    def _index(self, k: int) -> dict[tuple[str, ...], list[int]]:
        index = self._by_length.get(k)
        if index is None:
            index = {}
            for number, text in enumerate(self._texts):
                for shingle in shingles(text, k):
                    index.setdefault(shingle, []).append(number)
            self._by_length[k] = index
        return index

    def __len__(self) -> int:
        return len(self._texts)

    def best_containment(self, post: str) -> float:
        """The largest share of the post's shingles found in one article (0.0 when
        there is no article or the post is too short to tell)."""
        own = post_shingles(post)
        if not own or not self._texts:
            return 0.0
        index = self._index(len(next(iter(own))))
        hits: dict[int, int] = {}
        for shingle in own:
            holders = index.get(shingle)
            if holders:
                for article in holders:
                    hits[article] = hits.get(article, 0) + 1
        return max(hits.values(), default=0) / len(own)

    def republishes(self, post: str) -> bool:
        return self.best_containment(post) >= NEAR_COPY

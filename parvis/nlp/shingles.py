"""How much of a text is copied from another: word shingle containment.

A k-shingle is a run of k consecutive words of the normalised text (`text.normalize`:
case, Unicode forms, apostrophes and spaces smoothed out; links left out). The
containment of a candidate in a source is the share of the candidate's distinct
shingles that also occur in the source: 1.0 for a verbatim excerpt, near 0 for a text
written anew, whatever the length of the source (unlike Jaccard similarity).
"""

from functools import lru_cache

from parvis.nlp.text import normalize, words

Shingle = tuple[str, ...]


def shingles(text: str, k: int = 5) -> frozenset[Shingle]:
    """The distinct word k-shingles of `text` (empty when it has fewer than k words)."""
    return word_shingles(words(normalize(text)), k)


def word_shingles(tokens: list[str], k: int) -> frozenset[Shingle]:
    """The distinct k-shingles of words already normalised and split."""
    return frozenset(zip(*(tokens[offset:] for offset in range(k)), strict=False))


@lru_cache(maxsize=256)
def _source_shingles(source: str, k: int) -> frozenset[Shingle]:
    return shingles(source, k)


def containment(candidate: str, source: str, k: int = 5) -> float:
    """Share of the candidate's word k-shingles found in the source; 0.0 when the
    candidate has fewer than k words. The source's shingles are cached, since one
    article is compared with many variants."""
    own = shingles(candidate, k)
    if not own:
        return 0.0
    return len(own & _source_shingles(source, k)) / len(own)

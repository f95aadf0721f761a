"""What the model reads from a message.

Three blocks, each scaled to unit length then weighted (`BLOCK_WEIGHTS`):

- words: lemmas without accents ("w:poubelle"), pairs of neighbouring lemmas
  ("b:nid_poule"), and a few signs ("p:?" for a question mark, "p:!!!", "p:caps" for
  a message typed in capitals);
- characters: 3- to 5-letter pieces of every word, with its edges (" poub", "elle "),
  which survive typos, missing accents and unknown plurals;
- lexicons: for every label of every lexicon (`lexicons.NAMES`), the logarithm of
  its score, so that a curated term counts even when the training messages never
  used it.
"""

import math
import re
from dataclasses import dataclass
from itertools import pairwise

import numpy as np
from scipy import sparse

from parvis.inbox.classify.lexicons import Tokens, lexicon, tokenize
from parvis.inbox.classify.normalize import normalise_message

FEATURE_LEXICONS = ("topic", "intent", "sentiment", "urgency", "abuse", "level")
CHAR_SIZES = (3, 4, 5)
BLOCK_WEIGHTS = {"words": 2.0, "chars": 1.0, "lexicons": 1.0}

# Road numbers name their owner: "D 916" or "RD916" a département, "N 154" or "A 87"
# the State. Capitals required, so that "à 10 minutes" is not the A 10.
_ROADS = (
    (re.compile(r"\bR?D ?\d{1,4}\b"), "routes_departementales"),
    (re.compile(r"\b(?:RN ?|N ?|A ?)\d{1,3}\b"), "etat"),
)
ROAD_SCORE = 3.0


@dataclass(frozen=True)
class Analysis:
    """A message read once: its words and its lexicon scores."""

    tokens: Tokens
    lexicon_scores: dict[str, dict[str, float]]
    signs: tuple[str, ...]


def analyse(raw: str) -> Analysis:
    normalised = normalise_message(raw)
    tokens = tokenize(normalised.text, normalised.plain)
    scores = {name: lexicon(name).scores(tokens) for name in FEATURE_LEXICONS}
    for pattern, competence in _ROADS:
        if pattern.search(raw):
            scores["level"][competence] = (
                scores["level"].get(competence, 0) + ROAD_SCORE
            )
    signs = []
    if "?" in raw:
        signs.append("p:?")
    if "!" in raw:
        signs.append("p:!")
    if "!!!" in normalised.text or "???" in normalised.text:
        signs.append("p:!!!")
    letters = [character for character in raw if character.isalpha()]
    if len(letters) >= 12 and sum(c.isupper() for c in letters) > 0.6 * len(letters):
        signs.append("p:caps")
    count = len(tokens.words)
    signs.append("p:short" if count < 6 else "p:long" if count > 40 else "p:medium")
    return Analysis(tokens=tokens, lexicon_scores=scores, signs=tuple(signs))


def word_terms(analysis: Analysis) -> list[str]:
    lemmas = analysis.tokens.lemmas
    terms = [f"w:{lemma}" for lemma in lemmas]
    terms += [f"b:{first}_{second}" for first, second in pairwise(lemmas)]
    terms += analysis.signs
    return terms


def char_terms(analysis: Analysis) -> list[str]:
    terms = []
    for word in analysis.tokens.words:
        padded = f" {word} "
        for size in CHAR_SIZES:
            terms += [padded[i : i + size] for i in range(len(padded) - size + 1)]
    return terms


def lexicon_columns() -> list[tuple[str, str]]:
    """The (lexicon, label) pair of every column of the lexicon block, in order."""
    return [
        (name, label)
        for name in FEATURE_LEXICONS
        for label in sorted(lexicon(name).labels)
    ]


def lexicon_block(analyses: list[Analysis]) -> sparse.csr_matrix:
    columns = {pair: index for index, pair in enumerate(lexicon_columns())}
    rows, cols, values = [], [], []
    for row, analysis in enumerate(analyses):
        entries = [
            (columns[(name, label)], math.log1p(score))
            for name, scores in analysis.lexicon_scores.items()
            for label, score in scores.items()
            if score > 0
        ]
        norm = math.sqrt(sum(value * value for _, value in entries)) or 1.0
        for column, value in entries:
            rows.append(row)
            cols.append(column)
            values.append(value / norm)
    return sparse.csr_matrix(
        (values, (rows, cols)), shape=(len(analyses), len(columns)), dtype=np.float64
    )


class TermSpace:
    """Terms -> columns, with TF-IDF weights (sublinear term frequency, smoothed
    inverse document frequency, rows scaled to unit length), as scikit-learn's
    TfidfVectorizer computes them, on terms made by this module."""

    def __init__(self, terms: list[str], idf: np.ndarray) -> None:
        self.terms = terms
        self.index = {term: column for column, term in enumerate(terms)}
        self.idf = idf

    @classmethod
    def fit(cls, documents: list[list[str]], min_df: int = 1) -> "TermSpace":
        counts: dict[str, int] = {}
        for document in documents:
            for term in set(document):
                counts[term] = counts.get(term, 0) + 1
        terms = sorted(term for term, count in counts.items() if count >= min_df)
        total = len(documents)
        idf = np.array(
            [math.log((1 + total) / (1 + counts[term])) + 1 for term in terms],
            dtype=np.float32,  # as stored in the model file
        )
        return cls(terms, idf)

    def transform(self, documents: list[list[str]]) -> sparse.csr_matrix:
        index = self.index
        indptr = [0]
        indices: list[int] = []
        values: list[float] = []
        for document in documents:
            counts: dict[int, int] = {}
            for term in document:
                column = index.get(term)
                if column is not None:
                    counts[column] = counts.get(column, 0) + 1
            columns = sorted(counts)
            weights = [(1 + math.log(counts[c])) * self.idf[c] for c in columns]
            norm = math.sqrt(sum(weight * weight for weight in weights)) or 1.0
            indices += columns
            values += [weight / norm for weight in weights]
            indptr.append(len(indices))
        return sparse.csr_matrix(
            (values, indices, indptr),
            shape=(len(documents), len(self.terms)),
            dtype=np.float64,
        )


@dataclass(frozen=True)
class FeatureSpace:
    words: TermSpace
    chars: TermSpace
    weights: dict[str, float]

    def matrix(self, analyses: list[Analysis]) -> sparse.csr_matrix:
        blocks = [
            self.words.transform([word_terms(a) for a in analyses])
            * self.weights["words"],
            self.chars.transform([char_terms(a) for a in analyses])
            * self.weights["chars"],
            lexicon_block(analyses) * self.weights["lexicons"],
        ]
        return sparse.hstack(blocks, format="csr")


def fit_feature_space(
    analyses: list[Analysis], weights: dict[str, float] | None = None
) -> FeatureSpace:
    return FeatureSpace(
        words=TermSpace.fit([word_terms(a) for a in analyses]),
        chars=TermSpace.fit([char_terms(a) for a in analyses], min_df=2),
        weights=dict(weights or BLOCK_WEIGHTS),
    )

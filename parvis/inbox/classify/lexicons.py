"""Curated lexicons per label, read from `data/lexicons/<name>.csv`.

A lexicon file has comment lines (starting with "#") that explain its syntax, then the
header "label,term,weight". A term is compared without accents and in lowercase:

- one word ("poubelle") matches a word of the message, its lemma ("poubelles" ->
  "poubelle") or its singular ("lampadaires" -> "lampadaire");
- several words ("nid de poule") match those words in that order, apostrophes and
  hyphens counting as spaces ("nid-de-poule", "l'éclairage" -> "l eclairage");
- a "*" at the end of a word accepts any ending ("ramass*" matches "ramassé",
  "ramassage");
- weight (1 when empty) is added to the label's score at each match.

The topic lexicon also takes every lemma of `parvis.nlp.topics.TOPIC_LEXICON` (the
studio's), with weight 1, so that both read the same words of local life.
"""

import re
from collections import defaultdict
from dataclasses import dataclass
from functools import cache, lru_cache

from parvis.inbox.classify.normalize import read_lexicon_rows
from parvis.nlp.lemmas import lemma
from parvis.nlp.text import strip_accents
from parvis.nlp.topics import TOPIC_LEXICON

NAMES = ("topic", "intent", "sentiment", "urgency", "abuse", "level")

_TOKEN_RE = re.compile(r"[^\W_]+")
_TERM_RE = re.compile(r"[^\W_]+\*?")

type Hits = tuple[tuple[str, float], ...]


@lru_cache(maxsize=200_000)
def plain_lemma(token: str) -> str:
    """The lemma of a lowercase token, without accents."""
    return strip_accents(lemma(token))


@dataclass(frozen=True)
class Tokens:
    """The words of a normalised message: as typed without accents, and lemmatised."""

    words: tuple[str, ...]
    lemmas: tuple[str, ...]


def tokenize(text: str, plain: str) -> Tokens:
    words = _TOKEN_RE.findall(plain)
    accented = _TOKEN_RE.findall(text)
    if len(accented) != len(words):  # letters that lose their letter-ness: rare
        accented = words
    lemmas = tuple(plain_lemma(word) for word in accented)
    return Tokens(tuple(words), lemmas)


# A phrase: its words, each (text, True) when it is a prefix ("ramass*").
type Phrase = tuple[tuple[str, bool], ...]
_PREFIX_KEY = 3  # phrases starting with a prefix are indexed by its first letters


@dataclass(frozen=True)
class Lexicon:
    name: str
    labels: tuple[str, ...]
    words: dict[str, Hits]
    # Phrases and prefixes, indexed by their first word (or its first letters).
    phrases: dict[str, tuple[tuple[Phrase, Hits], ...]]
    prefixed: dict[str, tuple[tuple[Phrase, Hits], ...]]

    def scores(self, tokens: Tokens) -> dict[str, float]:
        """Each label's summed weight of the terms found in `tokens` (every phrase
        that matches at a position counts, overlapping ones too)."""
        scores: dict[str, float] = defaultdict(float)
        words = self.words
        phrases, prefixed = self.phrases, self.prefixed
        sequence = tokens.words
        for position, (word, lemma_) in enumerate(
            zip(sequence, tokens.lemmas, strict=True)
        ):
            hits = words.get(word) or words.get(lemma_)
            if hits is None and len(word) > 3 and word[-1] in "sx":
                hits = words.get(word[:-1])
            for label, weight in hits or ():
                scores[label] += weight
            candidates = phrases.get(word, ()) + prefixed.get(word[:_PREFIX_KEY], ())
            for phrase, phrase_hits in candidates:
                if _matches(phrase, sequence, position):
                    for label, weight in phrase_hits:
                        scores[label] += weight
        return scores


def _matches(phrase: Phrase, sequence: tuple[str, ...], position: int) -> bool:
    if position + len(phrase) > len(sequence):
        return False
    for offset, (text, prefix) in enumerate(phrase):
        word = sequence[position + offset]
        if not (word.startswith(text) if prefix else word == text):
            return False
    return True


def build_lexicon(name: str, rows: list[tuple[str, str, float]]) -> Lexicon:
    """A lexicon from (label, term, weight) rows (terms as in the module docstring)."""
    words: dict[str, list[tuple[str, float]]] = defaultdict(list)
    phrases: dict[str, list[tuple[str, float]]] = defaultdict(list)
    labels: list[str] = []
    for label, term, weight in rows:
        if label not in labels:
            labels.append(label)
        term = " ".join(_TERM_RE.findall(strip_accents(term.casefold())))
        if term.endswith("*") or " " in term:
            phrases[term].append((label, weight))
        elif term:
            words[term].append((label, weight))
    by_word: dict[str, list[tuple[Phrase, Hits]]] = defaultdict(list)
    by_prefix: dict[str, list[tuple[Phrase, Hits]]] = defaultdict(list)
    for term in sorted(phrases):
        phrase: Phrase = tuple(
            (part.rstrip("*"), part.endswith("*")) for part in term.split()
        )
        text, prefix = phrase[0]
        if prefix:
            # A prefix shorter than the key would never be looked up: make it whole.
            if len(text) < _PREFIX_KEY:
                phrase = ((text, False), *phrase[1:])
                by_word[text].append((phrase, _merge(phrases[term])))
            else:
                by_prefix[text[:_PREFIX_KEY]].append((phrase, _merge(phrases[term])))
        else:
            by_word[text].append((phrase, _merge(phrases[term])))
    return Lexicon(
        name=name,
        labels=tuple(labels),
        words={word: _merge(found) for word, found in words.items()},
        phrases={key: tuple(value) for key, value in by_word.items()},
        prefixed={key: tuple(value) for key, value in by_prefix.items()},
    )


def _merge(found: list[tuple[str, float]]) -> Hits:
    merged: dict[str, float] = {}
    for label, weight in found:
        merged[label] = max(merged.get(label, 0.0), weight)
    return tuple(merged.items())


def read_rows(name: str) -> list[tuple[str, str, float]]:
    rows = []
    for row in read_lexicon_rows(name):
        weight = float(row.get("weight") or 1)
        rows.append((row["label"].strip(), row["term"].strip(), weight))
    return rows


@cache
def lexicon(name: str) -> Lexicon:
    """The lexicon `name` (one of NAMES), read once."""
    rows = read_rows(name)
    if name == "topic":
        rows += [
            (topic, strip_accents(word), 1.0)
            for topic, words in sorted(TOPIC_LEXICON.items())
            for word in sorted(words)
        ]
    return build_lexicon(name, rows)

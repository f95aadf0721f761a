"""French readability: the Kandel–Moles adaptation of Flesch's reading ease.

    score = 207 − 1.015 × (words per sentence) − 73.6 × (syllables per word)

Syllables are counted as *written* syllables (syllabes écrites), the way French
schools divide words on paper and the way French adaptations of Flesch count them
from text: every vowel group is a syllable, so the final mute "e" after a consonant
counts ("pis-ci-ne" 3, "é-co-le" 3, "u-ne" 2), while vowel letters that spell one
sound count once ("eau" 1, "oi-seau" 2, "col-lec-ti-vi-té" 5). The rules:

1. Vowels are a e i o u y and their accented forms, æ and œ; the "u" of "qu" and of
   "gu" before a vowel is a consonant ("qua-tre" 2, "gué-rir" 2).
2. A run of vowels is one syllable, except that a new syllable starts at a vowel with
   a diaeresis ("ma-ïs", "No-ël"), at é/è/ê after a vowel ("a-é-ro-port"), at a vowel
   after é ("ré-u-nion", "thé-â-tre") unless it is a final mute "e", "es" or "ent"
   ("an-née" 2), and at a vowel after a "y" that follows a vowel ("cra-yon" 2).
3. A word without a vowel (a number, an elided "l'") counts one syllable; hyphens and
   apostrophes separate vowel runs ("peut-ê-tre" 3).

Scores above 100 are possible for very short sentences of short words and negative
ones for legal prose: `kandel_moles` returns the raw value and `Readability.score`
clamps it to 0–100, the scale of an audience's `reading_level`.
"""

import re
from dataclasses import dataclass
from functools import lru_cache

from parvis.nlp.text import sentences, words

VOWELS = frozenset("aeiouyàâäéèêëîïôöùûüÿæœ")
_DIAERESIS = frozenset("ëïüÿ")
_OPEN_E = frozenset("éèê")
_SILENT_U_RE = re.compile(r"(?<=[qg])u(?=[aeiouyàâäéèêëîïôöùûüÿæœ])")
_TAGS_RE = re.compile(r"(?<![\w])[#@][\w.\-@]+")

# Flesch's bands, with the labels used in French adaptations.
LEVELS = (
    (90.0, "très facile"),
    (80.0, "facile"),
    (70.0, "assez facile"),
    (60.0, "standard"),
    (50.0, "assez difficile"),
    (30.0, "difficile"),
)
HARDEST_LEVEL = "très difficile"


@lru_cache(maxsize=100_000)
def syllables(word: str) -> int:
    """The number of written syllables of one French word (see the module docstring)."""
    word = _SILENT_U_RE.sub("", word.lower())
    count = 0
    previous = before_previous = ""
    for index, char in enumerate(word):
        if char in VOWELS and _starts_syllable(word, index, previous, before_previous):
            count += 1
        before_previous, previous = previous, char
    return max(count, 1)


def _starts_syllable(word: str, index: int, previous: str, before: str) -> bool:
    """Whether the vowel at `index` starts a new vowel group (rules 1 and 2)."""
    char = word[index]
    return (
        previous not in VOWELS
        or char in _DIAERESIS
        or char in _OPEN_E
        or (previous == "é" and word[index:] not in ("e", "es", "ent"))
        or (previous == "y" and before in VOWELS)
    )


def kandel_moles(text: str) -> float:
    """The raw Kandel–Moles score of `text` (hashtags, mentions and links ignored)."""
    return _score(*_measure(text))


@dataclass(frozen=True)
class Readability:
    score: float  # Kandel–Moles, clamped to 0–100, one decimal
    words_per_sentence: float
    longest_sentence_words: int
    level: str  # "très facile" … "très difficile"


def readability(text: str) -> Readability:
    """Score, average and longest sentence length and a French label for `text`."""
    counts, syllable_count = _measure(text)
    score = round(min(100.0, max(0.0, _score(counts, syllable_count))), 1)
    per_sentence = round(sum(counts) / len(counts), 1) if counts else 0.0
    return Readability(
        score=score,
        words_per_sentence=per_sentence,
        longest_sentence_words=max(counts, default=0),
        level=level(score),
    )


def level(score: float) -> str:
    """The French label of a Kandel–Moles score."""
    for floor, label in LEVELS:
        if score >= floor:
            return label
    return HARDEST_LEVEL


def _prose(text: str) -> str:
    return _TAGS_RE.sub(" ", text) if ("#" in text or "@" in text) else text


def _measure(text: str) -> tuple[list[int], int]:
    """Words in each sentence (empty ones left out) and the syllables of all words."""
    counts = []
    syllable_count = 0
    for sentence in sentences(_prose(text)):
        tokens = words(sentence)
        if tokens:
            counts.append(len(tokens))
            syllable_count += sum(syllables(token) for token in tokens)
    return counts, syllable_count


def _score(counts: list[int], syllable_count: int) -> float:
    word_count = sum(counts)
    if not word_count:
        return 207.0
    words_per_sentence = word_count / len(counts)
    syllables_per_word = syllable_count / word_count
    return 207.0 - 1.015 * words_per_sentence - 73.6 * syllables_per_word

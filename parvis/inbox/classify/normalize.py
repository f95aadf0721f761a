"""A citizen's message, spelled one way before it is classified.

In order: personal data becomes a placeholder word (a telephone number says "call me
back", not who), NFKC and lowercase (`parvis.nlp.text.normalize`), pictograms become
words ("😡" -> "colère", from `data/lexicons/emoji.csv`), letters repeated three times
or more become one ("trooop" -> "trop", "merciiii" -> "merci"), runs of "!" or "?"
are cut to three, and SMS spellings become words ("bjr" -> "bonjour", "pk" ->
"pourquoi", from `data/lexicons/sms.csv`). The result keeps its accents, for the
lemmatiser; `plain` is the same text without them, since many messages are typed
without accents ("ecole", "rue barree").
"""

import csv
import re
from dataclasses import dataclass
from functools import cache

from parvis.inbox.classify.files import LEXICONS
from parvis.inbox.personal_data import find as find_personal_data
from parvis.nlp.text import normalize, strip_accents

PLACEHOLDER_WORDS = {
    "phone": " numérotéléphone ",
    "email": " adresseemail ",
    "iban": " numéroiban ",
    "address": " numérorue ",
}

_ELONGATION_RE = re.compile(r"([^\W\d_])\1{2,}")
_PUNCTUATION_RUN_RE = re.compile(r"([!?])[!?]{3,}")
_WORD_RE = re.compile(r"[^\W_]+")


def read_lexicon_rows(name: str) -> list[dict[str, str]]:
    """The rows of `data/lexicons/<name>.csv`, comment lines (starting with "#")
    left out."""
    with (LEXICONS / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
        lines = [line for line in handle if line.strip() and not line.startswith("#")]
    return list(csv.DictReader(lines))


@cache
def _sms() -> dict[str, str]:
    forms = {row["form"]: row["expansion"] for row in read_lexicon_rows("sms")}
    return forms | {strip_accents(form): words for form, words in forms.items()}


@cache
def _emoji() -> tuple[re.Pattern[str], dict[str, str]]:
    words = {row["emoji"]: row["words"] for row in read_lexicon_rows("emoji")}
    pattern = "|".join(
        re.escape(emoji) for emoji in sorted(words, key=len, reverse=True)
    )
    return re.compile(pattern), words


@dataclass(frozen=True)
class NormalisedText:
    text: str  # lowercase, SMS spellings and pictograms as words, accents kept
    plain: str  # `text` without accents


def normalise_message(raw: str) -> NormalisedText:
    """The normalised form of a message (see the module docstring)."""
    data = find_personal_data(raw)
    if data:
        pieces, position = [], 0
        for datum in data:
            pieces += [raw[position : datum.start], PLACEHOLDER_WORDS[datum.kind]]
            position = datum.end
        pieces.append(raw[position:])
        raw = "".join(pieces)
    text = normalize(raw)
    pattern, emoji_words = _emoji()
    if not text.isascii():
        text = pattern.sub(lambda match: f" {emoji_words[match.group()]} ", text)
    text = _ELONGATION_RE.sub(r"\1", text)
    text = _PUNCTUATION_RUN_RE.sub(r"\1\1\1", text)
    sms = _sms()
    text = _WORD_RE.sub(lambda match: sms.get(match.group(), match.group()), text)
    return NormalisedText(text=text, plain=strip_accents(text))

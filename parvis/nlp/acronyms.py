"""Acronyms (sigles) that a reader may not know, from `data/acronyms_fr.csv`.

An acronym of the list is unexplained unless the text gives its meaning: in
parentheses ("Plan local d'urbanisme (PLU)", "PLU (plan local d'urbanisme)") or written
anywhere in the text. A short all-capital token that is not in the list, not a French
word ("ATTENTION"), not a Roman numeral ("XIV") and not a surname after a first name
("Jean DUPONT") is reported too, without a meaning to suggest.
"""

import re
from functools import cache

import simplemma

from parvis.nlp.lemmas import STOPWORDS
from parvis.nlp.lists import read_rows
from parvis.nlp.text import normalize, strip_accents

# A sigle: at least two capitals, maybe lowercase letters between ("PLUi", "SCoT").
_ACRONYM_RE = re.compile(
    r"(?<![\w#@/.])[A-ZÀ-Þ][A-Za-zÀ-ÿ0-9]*[A-ZÀ-Þ][A-Za-zÀ-ÿ0-9]*(?![\w])"
)
_ROMAN_RE = re.compile(r"[IVXLCDM]+")
_NAME_BEFORE_RE = re.compile(
    r"(?:\b(?P<name>[A-ZÀ-Þ][a-zà-ÿ]+)|\b(?:M\.|Mme|Dr|Me))[ \t]+$"
)
_EXPLANATION_AFTER_RE = re.compile(r"\s*\(([^()]+)\)")
MAX_UNKNOWN_LENGTH = 8


@cache
def acronyms() -> dict[str, tuple[str, ...]]:
    """Acronym -> its expansions, case-sensitive keys."""
    return {
        row[0]: tuple(part.strip() for part in row[1].split(" / "))
        for row in read_rows("acronyms_fr.csv")
        if len(row) >= 2 and row[0]
    }


@cache
def _comparable_expansions() -> dict[str, tuple[str, ...]]:
    return {
        acronym: tuple(strip_accents(normalize(part)) for part in expansions)
        for acronym, expansions in acronyms().items()
    }


def unexplained_acronyms(text: str) -> list[tuple[str, str]]:
    """(acronym, suggestion) for each acronym of `text` left unexplained, once each;
    the suggestion is "meaning (ACRONYM)", or "" for an acronym out of the list."""
    known = acronyms()
    found = []
    seen: set[str] = set()
    comparable: str | None = None
    for match in _ACRONYM_RE.finditer(text):
        token = match.group(0)
        if token in seen:
            continue
        seen.add(token)
        if _explained_in_place(text, match):
            continue
        if token in known:
            if comparable is None:
                comparable = strip_accents(normalize(text))
            if any(part in comparable for part in _comparable_expansions()[token]):
                continue
            found.append((token, f"{known[token][0]} ({token})"))
        elif _looks_like_unknown_acronym(text, match):
            found.append((token, ""))
    return found


def _explained_in_place(text: str, match: re.Match[str]) -> bool:
    """Whether the text explains the acronym where it stands: "Plan local
    d'urbanisme (PLU)" or "PLU (plan local d'urbanisme)"."""
    before = text[max(0, match.start() - 2) : match.start()]
    after = text[match.end() : match.end() + 60]
    if before.endswith("(") and after.startswith(")"):
        return len(text[max(0, match.start() - 80) : match.start()].split()) >= 2
    explanation = _EXPLANATION_AFTER_RE.match(after)
    return bool(explanation and len(explanation.group(1).split()) >= 2)


def _looks_like_unknown_acronym(text: str, match: re.Match[str]) -> bool:
    """A short all-capital token that is no French word, no Roman numeral and no
    surname written in capitals after a first name ("Jean DUPONT")."""
    token = match.group(0)
    if (
        not token.isupper()
        or not 2 <= len(token) <= MAX_UNKNOWN_LENGTH
        or token.isdigit()
    ):
        return False
    if _ROMAN_RE.fullmatch(token):
        return False
    before = _NAME_BEFORE_RE.search(text, max(0, match.start() - 30), match.start())
    if before and not (before["name"] and before["name"].lower() in STOPWORDS):
        return False
    return not _is_french_word(token.lower())


@cache
def _is_french_word(word: str) -> bool:
    return bool(simplemma.is_known(word, lang="fr"))

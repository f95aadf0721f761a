"""Plain language: administrative jargon and unexplained acronyms.

The lists are maintained in `data/jargon_fr.csv` (term;suggestion;note, with a small
pattern syntax described in its header) and `data/acronyms_fr.csv`
(acronym;expansion). Both are read once, on first use.

An issue's `term` is the text as written ("Afin d'"), and its suggestion is adapted so
that replacing the term by the first alternative (before " / ") reads right: "Afin
d'obtenir" -> "Pour obtenir", "procéder au nettoyage" -> "faire le nettoyage".
"""

import re
from dataclasses import dataclass
from functools import cache

from parvis.nlp.acronyms import unexplained_acronyms
from parvis.nlp.lists import read_rows
from parvis.nlp.text import mask_links


@dataclass(frozen=True)
class PlainIssue:
    term: str
    suggestion: str
    kind: str  # "jargon" | "acronym"


@dataclass(frozen=True)
class JargonEntry:
    term: str
    suggestion: str
    note: str

    @property
    def context_dependent(self) -> bool:
        """Whether the right plain word depends on the context (see the CSV)."""
        return self.note.startswith("À adapter")


_ELIDABLE = {"de": "(?:d['’]|(?:de|du|des)(?![\\w'’]))", "à": "(?:à|au|aux)(?![\\w'’])"}
_ELIDABLE |= {
    "le": "(?:l['’]|(?:le|la|les)(?![\\w'’]))",
    "la": "(?:l['’]|(?:le|la|les)(?![\\w'’]))",
    "que": "(?:qu['’]|que(?![\\w'’]))",
}
_ELISION_PREFIXES = ("l'", "d'", "s'", "qu'", "j'", "n'", "m'", "c'")
_CONTRACTIONS = {"au": ("à", "le"), "aux": ("à", "les"), "du": ("de", "le")}
_CONTRACTIONS |= {"des": ("de", "les")}


@cache
def jargon_entries() -> tuple[JargonEntry, ...]:
    """The jargon list, longest terms first (so "collectivité territoriale" wins over
    "collectivité")."""
    entries = [
        JargonEntry(row[0], row[1], row[2] if len(row) > 2 else "")
        for row in read_rows("jargon_fr.csv")
        if row and row[0]
    ]
    return tuple(sorted(entries, key=lambda entry: -len(entry.term)))


def compile_term(term: str) -> str:
    """The regular expression of a jargon term (syntax in the CSV header)."""
    tokens: list[str] = []
    for word in term.replace("’", "'").split():
        lowered = word.lower()
        if lowered.startswith(_ELISION_PREFIXES) and len(word) > 2 and "(" not in word:
            head, _, rest = word.partition("'")
            tokens += [head + "'", rest]
        else:
            tokens.append(word)
    pieces = []
    for index, token in enumerate(tokens):
        last = index == len(tokens) - 1
        if token.lower() in _ELIDABLE:
            piece = _ELIDABLE[token.lower()]
            separator = "" if last else r"\s*"
        elif token.endswith("'"):
            piece, separator = re.escape(token[:-1]) + "['’]", ""
        else:
            piece = _token_pattern(token)
            separator = "" if last else r"\s+"
        pieces.append(piece + separator)
    final = tokens[-1]
    tail = "" if final.endswith("'") or final.lower() in _ELIDABLE else r"(?![\w\-])"
    return r"(?<![\w\-])" + "".join(pieces) + tail


def _token_pattern(token: str) -> str:
    special = {"*": r"\w*", "(": "(?:", ")": ")", "|": "|", "?": "?", "'": "['’]"}
    pattern = "".join(special.get(char, re.escape(char)) for char in token)
    if len(token) >= 4 and token[-1].isalpha() and not set(token) & set("*()|?"):
        pattern += "(?:s|x)?"
    return pattern


@dataclass(frozen=True)
class _JargonIndex:
    """The jargon patterns grouped by the word they begin with (or the prefix of that
    word, for terms such as "procéd*"): at each word of a text, one combined pattern
    says which term, if any, begins there."""

    by_word: dict[str, re.Pattern[str]]
    by_prefix: dict[str, tuple[tuple[str, re.Pattern[str]], ...]]  # by 3 letters


@cache
def _jargon_index() -> _JargonIndex:
    by_word: dict[str, list[int]] = {}
    by_prefix: dict[str, list[int]] = {}
    for number, entry in enumerate(jargon_entries()):
        first_words, prefixes = _first_word_keys(entry.term)
        for word in first_words:
            by_word.setdefault(word, []).append(number)
        for prefix in prefixes:
            by_prefix.setdefault(prefix, []).append(number)
    grouped: dict[str, list[tuple[str, re.Pattern[str]]]] = {}
    for prefix, numbers in by_prefix.items():
        grouped.setdefault(prefix[:3], []).append((prefix, _combined(numbers)))
    return _JargonIndex(
        by_word={word: _combined(numbers) for word, numbers in by_word.items()},
        by_prefix={key: tuple(value) for key, value in grouped.items()},
    )


def _combined(numbers: list[int]) -> re.Pattern[str]:
    entries = jargon_entries()
    return re.compile(
        "|".join(f"(?P<j{n}>{compile_term(entries[n].term)})" for n in sorted(numbers)),
        re.IGNORECASE,
    )


def _first_word_keys(term: str) -> tuple[set[str], set[str]]:
    """The first words (as `\\w+` reads them) a match of `term` can begin with, or
    else the prefixes of that word, lowercase."""
    first = term.replace("’", "'").split()[0].lower()
    if first in _FIRST_WORDS:
        return set(_FIRST_WORDS[first]), set()
    first = first.split("'")[0]
    if "*" in first:
        return set(), {re.split(r"[*()|?]", first)[0]}
    if "(" in first:
        head, _, rest = first.partition("(")
        options, _, tail = rest.partition(")")
        words = {head + option + tail for option in options.split("|")}
    else:
        words = {first}
    words = {option for word in words for option in _optional_letters(word)}
    if len(first) >= 4 and first[-1].isalpha():
        words |= {word + "s" for word in words} | {word + "x" for word in words}
    # What `\\w+` reads of "ci-joint" or "et/ou": "ci", "et".
    return {part[0] for word in words if (part := _WORD_RE.match(word))}, set()


def _optional_letters(word: str) -> set[str]:
    """The words a term word with optional letters stands for: "publics?" ->
    {"public", "publics"}."""
    if "?" not in word:
        return {word}
    index = word.index("?")
    rest = _optional_letters(word[index + 1 :])
    with_letter = {word[:index] + tail for tail in rest}
    without = {word[: index - 1] + tail for tail in rest}
    return with_letter | without


_FIRST_WORDS = {
    "de": ("de", "d", "du", "des"),
    "à": ("à", "au", "aux"),
    "le": ("le", "la", "les", "l"),
    "la": ("le", "la", "les", "l"),
    "que": ("que", "qu"),
}
_WORD_RE = re.compile(r"\w+")


def plain_language_issues(text: str) -> list[PlainIssue]:
    """Jargon and unexplained acronyms of `text`, each once, in reading order."""
    text = mask_links(text)
    issues = [
        PlainIssue(written, _fitted(entry, written), "jargon")
        for entry, written in _jargon_found(text)
    ]
    issues.extend(
        PlainIssue(acronym, suggestion, "acronym")
        for acronym, suggestion in unexplained_acronyms(text)
    )
    return issues


def safe_replacements(text: str) -> list[tuple[str, str]]:
    """(term as written, plainer words) for the jargon of `text` that can be replaced
    without knowing the context: the first alternative of each suggestion, except
    for entries whose note starts with "À adapter" ("collectivité" may be a commune
    or a département)."""
    return [
        (written, _fitted(entry, written).split(" / ")[0])
        for entry, written in _jargon_found(mask_links(text))
        if not entry.context_dependent
    ]


def _jargon_found(text: str) -> list[tuple[JargonEntry, str]]:
    """Each jargon entry found in `text` once, with its first writing."""
    found: list[tuple[JargonEntry, str]] = []
    seen: set[str] = set()
    entries = jargon_entries()
    index = _jargon_index()
    lowered = text.lower()
    if len(lowered) != len(text):  # a rare letter whose lowercase is longer
        lowered = text
    end = 0
    by_word, by_prefix = index.by_word, index.by_prefix
    for word in _WORD_RE.finditer(lowered):
        value = word.group(0)
        if value not in by_word and value[:3] not in by_prefix:
            continue
        start = word.start()
        if start < end:
            continue
        match = _jargon_at(index, text, value, start)
        if match is None:
            continue
        end = match.end()
        entry = entries[int(str(match.lastgroup)[1:])]
        if entry.term not in seen:
            seen.add(entry.term)
            found.append((entry, match.group(0)))
    return found


def _jargon_at(
    index: _JargonIndex, text: str, word: str, start: int
) -> re.Match[str] | None:
    """The match, at `start`, of the first-listed (longest) term that matches."""
    found: list[re.Match[str]] = []
    pattern = index.by_word.get(word)
    if pattern is not None and (match := pattern.match(text, start)):
        found.append(match)
    for prefix, pattern in index.by_prefix.get(word[:3], ()):
        if word.startswith(prefix) and (match := pattern.match(text, start)):
            found.append(match)
    if len(found) < 2:
        return found[0] if found else None
    return min(found, key=lambda match: int(str(match.lastgroup)[1:]))


def _fitted(entry: JargonEntry, written: str) -> str:
    """The suggestion, made to replace `written` as it is: elision, contraction,
    plural and capital letter."""
    alternatives = [part.strip() for part in entry.suggestion.split(" / ")]
    last_written = re.split(r"[\s'’]+", written.strip().lower())[-1]
    last_term = entry.term.split()[-1].lower()
    if written.endswith(("'", "’")):
        alternatives = [_elided(part) for part in alternatives]
    elif last_written in _CONTRACTIONS and last_term in ("à", "de"):
        alternatives = [_contracted(part, last_written) for part in alternatives]
    elif (
        written[-1:] in ("s", "x")
        and last_term[-1:] not in ("s", "x", "*", ")", "?")
        and len(last_term) >= 4
    ):
        alternatives = [_plural(part) for part in alternatives]
    if written[:1].isupper():
        alternatives = [part[:1].upper() + part[1:] for part in alternatives]
    return " / ".join(alternatives)


def _elided(suggestion: str) -> str:
    for full, short in (
        (" de", " d'"),
        (" que", " qu'"),
        (" le", " l'"),
        (" la", " l'"),
    ):
        if suggestion.endswith(full):
            return suggestion[: -len(full)] + short
    return suggestion if suggestion.endswith("'") else suggestion + " "


def _contracted(suggestion: str, written: str) -> str:
    preposition, article = _CONTRACTIONS[written]
    if suggestion.endswith(" " + preposition):
        return suggestion[: -len(preposition)] + written
    return f"{suggestion} {article}"


def _plural(suggestion: str) -> str:
    if " " in suggestion or suggestion.endswith(("s", "x")):
        return suggestion
    return suggestion + "s"

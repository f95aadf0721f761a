"""Sentences, words and a normalised form of French text.

Sentence splitting is rule-based: a sentence ends at ".", "!", "?" or "…" (with any
closing quote or bracket) followed by a space and a capital, a digit, an opening quote
or a pictogram, or at a line break before a new line that starts like a sentence
(a title, a bullet, a "📅 Quand : …" line of a post). A full stop
after a known abbreviation ("M.", "av.", "p. ex.", "tél.") or an initial ("J. Martin")
does not end a sentence. Decimals ("2,5"), dates ("03.03.2027"), URLs and e-mail
addresses contain no space, so they are never cut.
"""

import re
import unicodedata


def word_set(words: str) -> frozenset[str]:
    """A set of words written one after the other ("a b c"), for word lists."""
    return frozenset(words.split())


URL_RE = re.compile(
    r"(?:https?://|www\.)[^\s<>\"«»]*[^\s<>\"«».,;:!?)\]'’]", re.IGNORECASE
)
_EMAIL_LOCAL_RE = re.compile(r"(?<![\w.+-])[\w.+-]+$")
EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}", re.IGNORECASE)

# A word: letters/digits joined by inner apostrophes or hyphens ("l'école",
# "Saint-Malo", "14h30"), or a number with inner separators ("2,5", "03.03.2027").
WORD_RE = re.compile(r"\d+(?:[.,/:]\d+)+|[^\W_]+(?:['’\-][^\W_]+)*")

# Abbreviations after which a full stop does not end a sentence (compared casefolded,
# without the stop). "etc." is not here: it ends a sentence before a capital.
ABBREVIATIONS = word_set(
    """
    m mm mme mmes mlle mlles dr drs pr me mgr st ste sts stes
    av ave bd boul bld pl fg imp rte chem sq
    n no tél tel fax mob cf ex p pp chap al réf ref env hab apr
    janv févr fév avr juil sept oct nov déc
    """
)

# How a sentence starts: a capital or a digit, maybe after an opening quote, a bullet
# or a hashtag sign; or a pictogram ("📅 Quand : …" lines of a social post).
_STARTS = (
    r"(?:[«\"“(\[#@¿¡\-–•*]?\s?[A-ZÀ-ÖØ-Þ0-9]"
    r"|[\u2190-\u21ff\u2300-\u27bf\u2b00-\u2bff\U0001f000-\U0001faff])"
)
_SENTENCE_END_RE = re.compile(
    r"(?P<stop>[.!?…]+)[»\"”’)\]]*(?P<space>[ \t\u00a0\u202f]+|\s*\n\s*)"
    rf"(?={_STARTS})"
)
_LINE_BREAK_RE = re.compile(r"\n\s*")
_LINE_STARTS_SENTENCE_RE = re.compile(_STARTS)
_WORD_BEFORE_RE = re.compile(r"([^\W\d_][\w\-.]*)$")
_INITIAL_SPLIT_RE = re.compile(r"[.\-]+")
_SPACES_RE = re.compile(r"\s+")
_LOOSE_RE = re.compile(r"\s\s|[^\S ]")  # spaces to collapse into one
_COMBINING_RE = re.compile(r"[\u0300-\u036f]")
_APOSTROPHES_RE = re.compile("[’‘ʼ]")


def normalize(text: str) -> str:
    """NFKC (which also turns the non-breaking hyphen into "-"), casefolded,
    typographic apostrophes made straight and spaces collapsed;
    accents are kept ("Été" -> "été")."""
    text = unicodedata.normalize("NFKC", text).casefold()
    if "’" in text or "‘" in text or "ʼ" in text:
        text = _APOSTROPHES_RE.sub("'", text)
    return _SPACES_RE.sub(" ", text).strip()


def strip_accents(text: str) -> str:
    """`text` without diacritics ("Fête" -> "Fete"); "œ" and "æ" are kept."""
    return unicodedata.normalize(
        "NFC", _COMBINING_RE.sub("", unicodedata.normalize("NFD", text))
    )


def words(text: str) -> list[str]:
    """The words of `text` as written, URLs and e-mail addresses left out; "l'école"
    and "Saint-Malo" are one word each, and so are "2,5" and "14h30"."""
    text = mask_links(text)
    return WORD_RE.findall(text)


def mask_links(text: str) -> str:
    """`text` with URLs and e-mail addresses replaced by spaces of the same length,
    so that positions in the result are positions in `text`."""
    spans = link_spans(text)
    if not spans:
        return text
    pieces = []
    start = 0
    for begin, end in spans:
        pieces += [text[start:begin], " " * (end - begin)]
        start = end
    pieces.append(text[start:])
    return "".join(pieces)


def link_spans(text: str) -> list[tuple[int, int]]:
    """The (start, end) of every e-mail address and URL of `text`, in order. Found
    from their "@", "http" and "www." rather than by scanning every position."""
    spans: list[tuple[int, int]] = []
    index = text.find("@")
    while index >= 0:
        local = _EMAIL_LOCAL_RE.search(text, max(0, index - 64), index)
        match = EMAIL_RE.match(text, local.start()) if local else None
        if match and match.end() > index:
            spans.append(match.span())
            index = match.end()
        index = text.find("@", index + 1)
    lowered = text.lower()
    for needle in ("http", "www."):
        index = lowered.find(needle)
        while index >= 0:
            match = URL_RE.match(text, index)
            if match and not (
                index and (text[index - 1].isalnum() or text[index - 1] in "/.")
            ):
                spans.append(match.span())
                index = match.end()
            index = lowered.find(needle, index + 1)
    spans.sort()
    merged: list[tuple[int, int]] = []
    for begin, end in spans:
        if merged and begin < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((begin, end))
    return merged


def sentences(text: str) -> list[str]:
    """Split French text into sentences (see the module docstring)."""
    text = text.strip()
    if not text:
        return []
    boundaries: list[int] = []
    for match in _SENTENCE_END_RE.finditer(text):
        if match.group("stop") == "." and _is_abbreviation(text, match.start("stop")):
            continue
        boundaries.append(match.start("space"))
    # A line break also ends a sentence when the next line starts like one (a title,
    # a bullet, a paragraph of extracted text); a lowercase line continues it.
    for match in _LINE_BREAK_RE.finditer(text) if "\n" in text else ():
        blank_line = match.group(0).count("\n") > 1
        if blank_line or _LINE_STARTS_SENTENCE_RE.match(text, match.end()):
            boundaries.append(len(text[: match.start()].rstrip(" \t")))
    result = []
    start = 0
    for boundary in [*sorted(set(boundaries)), len(text)]:
        piece = text[start:boundary].strip()
        if piece:
            result.append(
                _SPACES_RE.sub(" ", piece) if _LOOSE_RE.search(piece) else piece
            )
        start = boundary
    return result


def _is_abbreviation(text: str, stop: int) -> bool:
    match = _WORD_BEFORE_RE.search(text, max(0, stop - 20), stop)
    if match is None:
        return False
    word = match.group(1)
    # "J." or "J.-C." (an initial), "p. ex." and the abbreviations of the list.
    last = _INITIAL_SPLIT_RE.split(word)[-1]
    if len(last) == 1 and last.isupper():
        return True
    return word.casefold() in ABBREVIATIONS or last.casefold() in ABBREVIATIONS

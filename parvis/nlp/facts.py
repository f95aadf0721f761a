"""Facts a message must not get wrong: dates, times, amounts, phones, links, places.

Each `Fact` has the text as written and a `key` that is the same for every writing of
the same fact, so that a variant can be compared with its source:

    date          "3 mars 2027", "03/03/2027", "2027-03-03"  -> "2027-03-03"
                  "mardi 3 mars" (no year)                   -> "--03-03"
                  "mars 2027" (no day)                       -> "2027-03"
    time          "14h30", "14 h 30", "14:30"                -> "14:30"
    amount        "15 €", "15 euros", "15,00 €"              -> "15"; "gratuit" -> "0"
    percent       "15 %", "15 pour cent"                     -> "15"
    phone         "05 99 00 00 00", "+33 5 99 00 00 00"      -> "0599000000"
    email         lowercased
    url           host without "www.", path, query without utm_* and click ids
    place         "12, rue Victor-Hugo" -> "12 rue victor hugo" (accents, case,
                  punctuation and abbreviations such as "av." and "bd" smoothed out)
    registration  "required", "advised", "none" or "open" (any other mention)

Spans are found in a fixed order (links first, then phones, dates, times, amounts,
places, registration) and each found span is blanked out before the next kind is
looked for, so a phone number is never also read as a date.
"""

import re
from dataclasses import dataclass
from functools import lru_cache

from parvis.nlp.fact_keys import (
    MONTHS,
    date_key,
    number_key,
    phone_key,
    url_key,
)
from parvis.nlp.places import find_places, place_key, place_text
from parvis.nlp.text import EMAIL_RE, link_spans, word_set


@dataclass(frozen=True)
class Fact:
    kind: str  # date, time, amount, percent, phone, email, url, place, registration
    text: str
    key: str


# Short numbers that are phone numbers only after "appelez le", "composez le"…
SERVICE_NUMBERS = word_set("15 17 18 112 114 115 119 191 196 3114 3919 3939 3977 3020")

_MONTH = (
    r"(?P<month>janvier|janv\.|f[ée]vrier|f[ée]vr?\.|mars|avril|avr\.|mai|juin|"
    r"juillet|juil\.|ao[uû]t|septembre|sept\.|octobre|oct\.|novembre|nov\.|"
    r"d[ée]cembre|d[ée]c\.)"
)
_WEEKDAY = r"(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)"
_DAY = r"(?:1er|[12]\d|3[01]|0?[1-9])"
_NUMBER = r"\d{1,3}(?:[ \u00a0\u202f.]\d{3})+(?:,\d+)?|\d+(?:[.,]\d+)?"

# Each pattern starts with a lookahead on its first character, which lets the regex
# engine skip ahead instead of trying every position of a long article.
_TLD_RE = re.compile(
    r"\.(?:fr|com|org|net|eu|info|bzh|paris|alsace|corsica|re|io)(?![a-z0-9\-])",
    re.IGNORECASE,
)
_DOMAIN_START_RE = re.compile(r"(?<![@\w.\-/])[a-z0-9][a-z0-9.\-]*$", re.IGNORECASE)
BARE_URL_RE = re.compile(
    r"(?:[a-z0-9](?:[a-z0-9\-]*[a-z0-9])?\.)+"
    r"(?:fr|com|org|net|eu|info|bzh|paris|alsace|corsica|re|io)"
    r"(?:/[^\s<>\"«»]*[^\s<>\"«».,;:!?)\]'’])?(?![\w\-])",
    re.IGNORECASE,
)
PHONE_RE = re.compile(
    r"(?=[+0])(?<![\d+])(?:(?:\+|00)33[\s\u00a0]?(?:\(0\)[\s\u00a0]?)?|0)[1-9]"
    r"(?:[\s.\-\u00a0\u202f]?\d{2}){4}(?!\d)"
)
SERVICE_PHONE_RE = re.compile(
    r"(?=[acnjACNJ])(?:appel(?:ez|er|le)|compos(?:ez|er)|num[ée]ro(?:\s+(?:vert|"
    r"gratuit|unique|d['’]urgence))?|joignable\s+au)\s+(?:le\s+|au\s+)?"
    r"(?P<number>\d{2}(?: ?\d{1,2})?)(?![\d,])",
    re.IGNORECASE,
)
_SERVICE_PHONE_CUES = ("appel", "compos", "numéro", "numero", "joignable")
_NOON = ("midi", "minuit")
_YEAR_RE = re.compile(r"(?=2)(?<!\d)20\d{2}(?!\d)")
DATE_ISO_RE = re.compile(
    r"(?=2)(?<![\d/.])(?P<y>20\d{2})-(?P<m>\d{2})-(?P<d>\d{2})(?!\d)"
)
DATE_NUMERIC_RE = re.compile(
    r"(?=\d)(?<![\d/.,])(?:(?P<d>[12]\d|3[01]|0?[1-9])(?P<sep>[/.\-])"
    r"(?P<m>1[0-2]|0?[1-9])(?P=sep)(?P<y>\d{4}|\d{2})"
    r"|(?P<d2>[0-2]\d|3[01])/(?P<m2>1[0-2]|0[1-9]))(?![\d/])"
)
DATE_TEXT_RE = re.compile(
    rf"(?=\d)(?<![\d,])(?P<days>{_DAY}(?:\s*(?:,|et|au|-|–)\s*{_DAY})*)"
    rf"\s+{_MONTH}(?![\w])(?:\s+(?P<year>20\d{{2}})(?!\d))?",
    re.IGNORECASE,
)
_WEEKDAY_BEFORE_RE = re.compile(rf"\b{_WEEKDAY}\s+$", re.IGNORECASE)
MONTH_YEAR_RE = re.compile(
    rf"(?=[jfmasond])(?<![\w]){_MONTH}(?![\w])\s+(?P<year>20\d{{2}})(?!\d)",
    re.IGNORECASE,
)
_DAY_NUMBER_RE = re.compile(r"\d+")
TIME_RE = re.compile(
    r"(?=\d)(?<![\d,.:/])(?:(?P<h>[01]?\d|2[0-3])\s?(?:h|heures?)(?:\s?(?P<m>[0-5]\d))?"
    r"(?![\d\w])|(?P<h2>[01]?\d|2[0-3]):(?P<m2>[0-5]\d)(?![\d:]))",
    re.IGNORECASE,
)
TIME_WORD_RE = re.compile(r"(?<![\w\-])(?P<word>midi|minuit)(?![\w])", re.IGNORECASE)
PERCENT_RE = re.compile(
    rf"(?=\d)(?<![\d,.])(?P<number>{_NUMBER})\s?(?:%|pour\s?cents?\b)", re.IGNORECASE
)
AMOUNT_RE = re.compile(
    rf"(?=\d)(?<![\d,.])(?P<number>{_NUMBER})\s?"
    r"(?P<scale>milliards?|millions?|mds?|md|m|k)?\s?(?:d['’]\s?)?(?:€|euros?\b|eur\b)",
    re.IGNORECASE,
)
FREE_RE = re.compile(
    r"(?=[gea])\b(?:gratuit(?:e|s|es|ement)?|(?:entrée|accès)\s+(?:libre|gratuit)e?s?)\b",
    re.IGNORECASE,
)
# One pattern, the most specific kinds first: at "Inscription obligatoire" the
# "required" branch matches before the bare "open" one.
REGISTRATION_RE = re.compile(
    r"(?=[siurpSIURP])(?<![\w])(?:"
    r"(?P<none>sans\s+(?:inscription|réservation)s?)"
    r"|(?P<advised>(?:inscription|réservation)s?\s+(?:fortement\s+)?(?:conseillée|"
    r"recommandée|souhaitée|souhaitable)s?)"
    r"|(?P<required>(?:inscription|réservation)s?\s+(?:obligatoire|indispensable|"
    r"nécessaire|requise|préalable)s?|(?:uniquement\s+)?sur\s+(?:inscription|"
    r"réservation|rendez-vous))"
    r"|(?P<open>inscriptions?|pré-?inscriptions?|inscri(?:re|vez(?:-vous)?|ts?|tes?)|"
    r"s['’]inscrire|réservations?|réserve[rz](?:-vous)?)"
    r")(?![\w])",
    re.IGNORECASE,
)
_REGISTRATION_CUES = ("inscri", "réserv", "rendez-vous")


def extract_facts(text: str) -> list[Fact]:
    """The facts of `text`, in reading order, each (kind, key) once."""
    return list(_extract(text))


def invented_facts(variant: str, source: str) -> list[Fact]:
    """Facts of `variant` that the source does not hold.

    A date without a year matches the same day and month in the source, a month
    ("mars 2027") matches any day of it, a URL matches its source URL whatever
    tracking parameters were added, a place matches when its words appear in the
    source, and a bare mention of registration matches any registration fact.
    """
    known = _known(source)
    return [fact for fact in _extract(variant) if not _is_known(fact, known)]


@dataclass(frozen=True)
class _Known:
    keys: frozenset[tuple[str, str]]
    day_months: frozenset[str]  # "--03-03" for every dated fact of the source
    months: frozenset[str]  # "2027-03" for every dated fact of the source
    registration: bool
    comparable_text: str


@lru_cache(maxsize=256)
def _known(source: str) -> _Known:
    facts = _extract(source)
    keys = frozenset((fact.kind, fact.key) for fact in facts)
    dates = [fact.key for fact in facts if fact.kind == "date"]
    return _Known(
        keys=keys,
        day_months=frozenset("--" + key[-5:] for key in dates if len(key) == 10),
        months=frozenset(key[:7] for key in dates if not key.startswith("--")),
        registration=any(fact.kind == "registration" for fact in facts),
        comparable_text=f" {place_key(source)} ",
    )


def _is_known(fact: Fact, known: _Known) -> bool:
    if (fact.kind, fact.key) in known.keys:
        return True
    if fact.kind == "date":
        if fact.key.startswith("--"):
            return fact.key in known.day_months
        return len(fact.key) == 7 and fact.key in known.months
    if fact.kind == "place":
        return f" {fact.key} " in known.comparable_text
    if fact.kind == "registration":
        return fact.key == "open" and known.registration
    return False


@lru_cache(maxsize=512)
def _extract(text: str) -> tuple[Fact, ...]:
    found: list[tuple[int, Fact]] = []
    masked = text
    lowered = text.lower()

    def add(kind: str, begin: int, end: int, key: str) -> None:
        nonlocal masked
        if key:
            found.append((begin, Fact(kind, text[begin:end].strip(), key)))
        masked = masked[:begin] + " " * (end - begin) + masked[end:]

    def take(kind: str, match: re.Match[str], key: str, start: int = -1) -> None:
        add(kind, match.start() if start < 0 else start, match.end(), key)

    for begin, end in link_spans(text):
        value = text[begin:end]
        if EMAIL_RE.fullmatch(value):
            add("email", begin, end, value.lower())
        else:
            add("url", begin, end, url_key(value))
    for match in _bare_urls(masked):
        take("url", match, url_key(match.group(0)))
    for match in PHONE_RE.finditer(masked):
        take("phone", match, phone_key(match.group(0)))
    cues = _positions(lowered, _SERVICE_PHONE_CUES)
    for match in _near(SERVICE_PHONE_RE, masked, cues, 0, 60):
        number = match.group("number").replace(" ", "")
        if number in SERVICE_NUMBERS:
            take("phone", match, number, start=match.start("number"))
    if "-" in text:
        for match in DATE_ISO_RE.finditer(masked):
            take("date", match, date_key(match["y"], match["m"], match["d"]))
    if "/" in text or "." in text:
        for match in DATE_NUMERIC_RE.finditer(masked):
            if match["d2"]:
                take("date", match, date_key("", match["m2"], match["d2"]))
            else:
                take("date", match, date_key(match["y"], match["m"], match["d"]))
    for match in DATE_TEXT_RE.finditer(masked):
        weekday = _WEEKDAY_BEFORE_RE.search(
            masked, max(0, match.start() - 10), match.start()
        )
        start = weekday.start() if weekday else match.start()
        _take_text_dates(match, start, found, text)
        take("date", match, "", start=start)
    years = [match.start() for match in _YEAR_RE.finditer(masked)]
    for match in _near(MONTH_YEAR_RE, masked, years, 16, 8):
        month = MONTHS[match["month"].lower().rstrip(".")]
        take("date", match, f"{match['year']}-{month:02d}")
    for match in TIME_RE.finditer(masked):
        take("time", match, _time_key(match))
    for match in _near(TIME_WORD_RE, masked, _positions(lowered, _NOON), 0, 12):
        take("time", match, "12:00" if match["word"].lower() == "midi" else "00:00")
    for match in _near(PERCENT_RE, masked, _positions(lowered, ("%", "cent")), 40, 16):
        take("percent", match, number_key(match["number"], ""))
    for match in _near(AMOUNT_RE, masked, _positions(lowered, ("€", "eur")), 40, 16):
        take("amount", match, number_key(match["number"], match["scale"] or ""))
    if "gratuit" in lowered or "libre" in lowered:
        for match in FREE_RE.finditer(masked):
            take("amount", match, "0")
    for match in find_places(masked):
        take("place", match, place_key(place_text(match)))
    cues = _positions(lowered, _REGISTRATION_CUES)
    for match in _near(REGISTRATION_RE, masked, cues, 24, 64):
        take("registration", match, str(match.lastgroup))
    found.sort(key=lambda item: item[0])
    unique: dict[tuple[str, str], Fact] = {}
    for _, fact in found:
        unique.setdefault((fact.kind, fact.key), fact)
    return tuple(unique.values())


def _positions(text: str, needles: tuple[str, ...]) -> list[int]:
    """Where any of `needles` occurs in `text`, in order."""
    found = []
    for needle in needles:
        index = text.find(needle)
        while index >= 0:
            found.append(index)
            index = text.find(needle, index + 1)
    return sorted(found)


def _near(
    pattern: re.Pattern[str], text: str, positions: list[int], before: int, after: int
) -> list[re.Match[str]]:
    """Matches of `pattern` that contain one of `positions` (a cue such as "€" or
    "@"), looked for only around them: much faster than a scan of a long text."""
    matches: list[re.Match[str]] = []
    end = 0
    for index in positions:
        if index < end:
            continue
        window = pattern.finditer(
            text, max(end, index - before), min(len(text), index + after)
        )
        for match in window:
            if match.start() <= index < match.end():
                matches.append(match)
                end = match.end()
                break
    return matches


def _bare_urls(text: str) -> list[re.Match[str]]:
    """Addresses without scheme ("ville.fr/agenda"), found from their domain end."""
    matches = []
    end = 0
    for tld in _TLD_RE.finditer(text):
        if tld.start() < end:
            continue
        start = _DOMAIN_START_RE.search(text, max(0, tld.start() - 80), tld.start())
        if start is None:
            continue
        match = BARE_URL_RE.match(text, start.start())
        if match is not None:
            matches.append(match)
            end = match.end()
    return matches


def _take_text_dates(
    match: re.Match[str], start: int, found: list[tuple[int, Fact]], text: str
) -> None:
    """One fact per day of "les 3, 4 et 5 mars 2027" or "du 3 au 5 mars"."""
    month = MONTHS[match["month"].lower().rstrip(".")]
    year = match["year"] or ""
    written = text[start : match.end()].strip()
    for day in _DAY_NUMBER_RE.findall(match["days"]):
        key = date_key(year, str(month), day)
        if key:
            found.append((start, Fact("date", written, key)))


def _time_key(match: re.Match[str]) -> str:
    hours = match["h"] or match["h2"]
    minutes = match["m"] or match["m2"] or "00"
    return f"{int(hours):02d}:{minutes}"

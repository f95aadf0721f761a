"""Places in French local news: street addresses and named venues.

A place is a venue or street word followed by its name: "place de la Mairie",
"12, rue Victor-Hugo", "gymnase Jean-Moulin", "salle des fêtes", "piscine municipale",
or a numbered road ("RD 914").
Words that are also common nouns ("place", "espace", "centre", "cours", "port") need
a capitalised name ("mise en place du dispositif" is no place); the others also take
a lowercase name after "de", "du", "des"… or a usual adjective ("polyvalente").
"""

import re

from parvis.nlp.text import normalize, strip_accents, word_set

_CALENDAR_WORDS = (
    "Lundi|Mardi|Mercredi|Jeudi|Vendredi|Samedi|Dimanche|Janvier|Février|Mars|Avril|"
    "Mai|Juin|Juillet|Août|Septembre|Octobre|Novembre|Décembre|Le|La|Les|Il|Elle|Ils|"
    "Elles|On|Nous|Vous|Un|Une|Des|Ce|Cette|Ces|En|Et|Pour|Par|Plus|Rendez-vous"
)
_CONNECTOR = (
    r"(?:de[ \t]+la[ \t]+|de[ \t]+l['’]|du[ \t]+|des[ \t]+|de[ \t]+|d['’]|l['’]|"
    r"la[ \t]+|le[ \t]+|les[ \t]+|aux[ \t]+|au[ \t]+|sur[ \t]+|à[ \t]+la[ \t]+|"
    r"La[ \t]+|Le[ \t]+|Les[ \t]+|L['’])"
)
_CAPWORD = rf"(?!(?:{_CALENDAR_WORDS})(?![\w\-]))[A-ZÀ-ÖØ-Þ0-9][\w'’]*(?:-[\w'’]+)*"
_CAP_NAME = rf"{_CONNECTOR}?{_CAPWORD}(?:[ \t]+{_CONNECTOR}?{_CAPWORD})*"
_LOWER_STOP = (
    "notre|votre|leur|leurs|cette|ces|son|sa|ses|mon|ma|mes|ton|ta|tes|nos|vos|"
    "tous|toutes|tout|toute|chaque|plusieurs|certains|certaines|quelques|nombreux"
)
_ADJECTIVE = (
    r"(?:municipal|municipale|municipaux|polyvalente?|intercommunale?|communale?|"
    r"départementale?|régionale?|omnisports|multisports|culturel(?:le)?|sociale?|sportive?|sportif|"
    r"associative?|associatif|maternelle|élémentaire|primaire|couverte?|principale?|"
    r"publique?|public|nautique|aquatique|paroissiale?)"
)
_LOWER_NAME = (
    rf"(?:{_CONNECTOR}(?!(?:{_LOWER_STOP})\b)[a-zà-öø-ÿœ][\w\-]{{2,}}|{_ADJECTIVE})"
    rf"(?:[ \t]+{_CONNECTOR}?{_CAPWORD})*"
)
_STRONG = (
    r"(?i:rue|avenue|av\.|boulevard|bd|impasse|allée|chemin|quai|route|square|"
    r"esplanade|promenade|gymnase|médiathèque|bibliothèque|ludothèque|stade|piscine|"
    r"salle|halle|école|collège|lycée|complexe|maison|parvis|théâtre|cinéma|"
    r"auditorium|église|chapelle|jardin|parc|cimetière|base[ \t]+de[ \t]+loisirs)"
)
_WEAK = r"(?i:place|pl\.|espace|centre|cours|port|plage|mail|hôtel|château|ferme)"

# Numbered roads: "RD 914", "RN7", "A84", "route départementale 27".
_ROAD = (
    r"(?:RD|RN|RM|CD|VC)[ \t]?\d{1,4}[a-z]?|A\d{1,3}"
    r"|(?i:route[ \t]+(?:départementale|nationale))[ \t]+(?:n°[ \t]?)?\d{1,4}"
)

_NUMBER = r"(?P<number>\d{1,4}(?:[ \t]?(?:bis|ter))?),?[ \t]+"
_PLACE = (
    rf"(?:(?i:hôtel[ \t]+de[ \t]+ville)(?![\w])"
    rf"|(?:{_ROAD})(?![\w])"
    rf"|{_STRONG}[ \t]+(?:{_CAP_NAME}|{_LOWER_NAME})(?![\w])"
    rf"|{_WEAK}[ \t]+(?:{_CAP_NAME}|{_ADJECTIVE}(?:[ \t]+{_CONNECTOR}?{_CAPWORD})*)"
    r"(?![\w]))"
)
PLACE_RE = re.compile(rf"(?<![\w])(?:{_NUMBER})?{_PLACE}")
_PLACE_AT_RE = re.compile(_PLACE)
_NUMBER_BEFORE_RE = re.compile(rf"(?<![\w,.]){_NUMBER}$")
_ROAD_START_RE = re.compile(r"(?=[RCVA])(?<![\w])(?:RD|RN|RM|CD|VC|A\d)")
# The words a place starts with, lowercase, to find candidates with str.find.
_TRIGGERS = tuple(
    word_set(
        """rue avenue av. boulevard bd impasse allée chemin quai route square esplanade
    promenade gymnase médiathèque bibliothèque ludothèque stade piscine salle halle
    école collège lycée complexe maison parvis théâtre cinéma auditorium église
    chapelle jardin parc cimetière base place pl. espace centre cours port plage mail
    hôtel château ferme"""
    )
)

_ABBREVIATIONS = (
    (re.compile(r"\b(rd|rn|rm|cd|vc|a)(?=\d)"), r"\1 "),
    (re.compile(r"\bav\b\.?"), "avenue"),
    (re.compile(r"\bbd\b\.?"), "boulevard"),
    (re.compile(r"\bpl\b\.?"), "place"),
    (re.compile(r"\bste\b\.?"), "sainte"),
    (re.compile(r"\bst\b\.?"), "saint"),
)
_NOT_WORD_RE = re.compile(r"[\W_]+")


def place_text(match: re.Match[str]) -> str:
    """The place as written, without the trailing apostrophe of an elided word."""
    return match.group(0).strip().rstrip("'’")


def place_key(text: str) -> str:
    """Lowercase words without accents, punctuation or abbreviations:
    "12, av. Victor-Hugo" -> "12 avenue victor hugo"."""
    value = strip_accents(normalize(text))
    for pattern, replacement in _ABBREVIATIONS:
        value = pattern.sub(replacement, value)
    return _NOT_WORD_RE.sub(" ", value).strip()


def find_places(text: str) -> list[re.Match[str]]:
    """The places of `text` in reading order, as matches of `PLACE_RE` would give
    them, found from the words that start a place rather than at every position."""
    lowered = text.lower()
    if len(lowered) != len(text):  # a rare letter whose lowercase is longer
        return list(PLACE_RE.finditer(text))
    starts = {match.start() for match in _ROAD_START_RE.finditer(text)}
    for trigger in _TRIGGERS:
        index = lowered.find(trigger)
        while index >= 0:
            if index == 0 or not lowered[index - 1].isalnum():
                starts.add(index)
            index = lowered.find(trigger, index + 1)
    matches = []
    end = 0
    for start in sorted(starts):
        if start < end:
            continue
        match = _PLACE_AT_RE.match(text, start)
        if match is None:
            continue
        number = _NUMBER_BEFORE_RE.search(text, max(0, start - 12), start)
        if number is not None:
            match = PLACE_RE.match(text, number.start()) or match
        matches.append(match)
        end = match.end()
    return matches

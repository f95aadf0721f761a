"""Hashtags that screen readers can read: CamelCase ("#FêteDeLaMusique").

A screen reader reads "#fetedelamusique" as one unknown word; with a capital at each
word it reads the words. `is_camel_case` accepts a single word, an acronym ("#PLU",
"#JO2024") and tags whose words each start with a capital; it refuses a run of
lowercase letters that splits into several French words ("#Fetedelamusique"), and an
all-capital tag longer than an acronym ("#FETEDELAMUSIQUE").
"""

import re
from collections import Counter
from functools import lru_cache

import simplemma

from parvis.nlp.lemmas import STOPWORDS, content_lemma, lemma
from parvis.nlp.places import find_places
from parvis.nlp.text import normalize, sentences, strip_accents, word_set, words
from parvis.nlp.topics import TOPIC_LEXICON

_PART_RE = re.compile(r"[^\W_]+")
_HUMP_RE = re.compile(r"[A-ZÀ-ÖØ-Þ]?[a-zß-öø-ÿœæ]+")
# Small words allowed inside a lowercase run when looking for glued words.
_SHORT_WORDS = word_set("de du la le les en au et un ma ta sa on il tu ou ce se")
# Most lowercase runs of this length are several words glued together.
_LONGEST_WORD = 16
MAX_ACRONYM = 6

# Recurring events of French local life, written as they should appear in a tag.
EVENTS = (
    "fête de la musique",
    "journées européennes du patrimoine",
    "journées du patrimoine",
    "nuit des musées",
    "fête des voisins",
    "forum des associations",
    "marché de Noël",
    "octobre rose",
    "mois sans tabac",
    "semaine bleue",
    "Téléthon",
    "fête nationale",
    "vide-greniers",
    "vide-grenier",
    "conseil municipal",
    "budget participatif",
    "semaine européenne de la mobilité",
    "fête de la science",
    "nuit de la lecture",
    "printemps des poètes",
    "journée de la femme",
    "Noël",
    "Halloween",
    "Carnaval",
)
_EVENT_RES = tuple(
    (
        event,
        strip_accents(event.lower()),
        re.compile(rf"(?<![\w]){re.escape(strip_accents(event.lower()))}(?![\w])"),
    )
    for event in EVENTS
)
GENERIC = word_set(
    """ville commune mairie habitant information info jour année heure mois semaine
    fois place personne cas lieu nouveau nouvelle prochain dernier grand petit premier
    chose partie cadre niveau ensemble site page article date numéro lien madame
    monsieur samedi dimanche lundi mardi mercredi jeudi vendredi janvier février mars
    avril mai juin juillet août septembre octobre novembre décembre matin soir midi
    an programme occasion rendez-vous possible gratuit euro heure minute suite rue
    avenue boulevard route chemin allée quai impasse parc salle espace centre maison
    jardin après-midi matinée soirée un deux trois quatre cinq six sept huit neuf dix
    municipal communal intercommunal départemental régional national public local
    social scolaire périscolaire primitif nouveau ancien habituel annuel exceptionnel
    général principal important nombreux seul différent divers plein libre long haut
    fort violent fragile nécessaire obligatoire disponible ouvert fermé gris jaune
    orange rouge vert bleu noir blanc violet rose partir"""
)
_ACCENTLESS_WORDS = frozenset(
    strip_accents(word) for lexicon in TOPIC_LEXICON.values() for word in lexicon
) | frozenset(
    strip_accents(word) for event in EVENTS for word in _PART_RE.findall(event.lower())
)
_FUNCTION_WORD = (
    r"(?!(?:Le|La|Les|L|Un|Une|Des|Du|De|D|Ce|Cet|Cette|Ces|Il|Elle|Ils|Elles|On|"
    r"Nous|Vous|Et|Ou|En|Pour|Par|Avec|Dans|Sur|Au|Aux|À|Si|Mais|Qui|Que)(?![\w-]))"
)
# Capitalised words inside a sentence, possibly joined by "de", "du", "la"…
# ("Rock en Seine"), or one capitalised word and its complement, the French way of
# writing event names ("la Fête du jeu", "la Nuit des musées").
_PROPER_RE = re.compile(
    rf"(?<=[\w,;:)»] ){_FUNCTION_WORD}[A-ZÀ-ÖØ-Þ][\w'’-]+"
    r"(?:(?:[ \t]+(?:(?:de|du|des|la|le|en|sur|l['’]|d['’])[ \t]*)?"
    rf"{_FUNCTION_WORD}[A-ZÀ-ÖØ-Þ][\w'’-]+)+"
    r"|[ \t]+(?:de[ \t]+la[ \t]+|de[ \t]+l['’]|du[ \t]+|des[ \t]+|d['’])"
    r"[a-zà-öø-ÿœ]{3,}(?![\w'’-]))?"
)


def camel_case(phrase: str) -> str:
    """A phrase as one CamelCase tag without "#", accents kept: "fête de la
    musique" -> "FêteDeLaMusique"."""
    return "".join(part[:1].upper() + part[1:] for part in _PART_RE.findall(phrase))


def is_camel_case(tag: str) -> bool:
    """Whether a screen reader can find the words of `tag` (with or without "#")."""
    tag = tag.lstrip("#")
    if not tag or not _PART_RE.fullmatch(tag):
        return False
    letters = [char for char in tag if char.isalpha()]
    if letters and all(char.isupper() for char in letters):
        return len(letters) <= MAX_ACRONYM
    return not any(
        _glued_words(hump.lower(), capitalised=hump[0].isupper())
        for hump in _HUMP_RE.findall(tag)
    )


@lru_cache(maxsize=4096)
def _glued_words(run: str, *, capitalised: bool) -> bool:
    """Whether a lowercase run is several words written together. A capitalised run
    may be a proper name that happens to split into words ("Beaulieu",
    "Villeurbanne"), so it counts as glued only with a small word inside
    ("Fetedelamusique") or when very long."""
    if len(run) < 8 or _is_word(run):
        return False
    if len(run) >= _LONGEST_WORD:
        return True
    pieces = _split_into_words(run)
    if len(pieces) < 2:
        return False
    return not capitalised or any(piece in _SHORT_WORDS for piece in pieces)


def _split_into_words(run: str) -> list[str]:
    """A split of `run` into known words (small words of two letters only from a
    short list), or [] when there is none."""
    # start_of[i]: where the last word of a split of run[:i] starts, or -1.
    start_of = [0] + [-1] * len(run)
    for end in range(2, len(run) + 1):
        for start in range(end - 2, -1, -1):
            if start_of[start] < 0 and start:
                continue
            piece = run[start:end]
            if piece in _SHORT_WORDS or (len(piece) >= 3 and _is_word(piece)):
                start_of[end] = start
                break
    if start_of[len(run)] < 0:
        return []
    pieces = []
    end = len(run)
    while end:
        start = start_of[end]
        pieces.append(run[start:end])
        end = start
    return pieces[::-1]


@lru_cache(maxsize=16384)
def _is_word(word: str) -> bool:
    return word in _ACCENTLESS_WORDS or bool(simplemma.is_known(word, lang="fr"))


def hashtag_candidates(text: str, limit: int = 5) -> list[str]:
    """Up to `limit` CamelCase tags (without "#") for `text`, most salient first:
    known events ("FêteDeLaMusique"), proper names that recur or appear in the first
    sentence ("SaintMalo"), then the most frequent content lemmas, the first
    sentence counting double, seen at least twice ("Travaux", "Cantine")."""
    candidates: list[str] = []
    comparable = strip_accents(normalize(text))
    for event, plain, pattern in _EVENT_RES:
        if plain in comparable and pattern.search(comparable):
            candidates.append(camel_case(event))
    first = sentences(text[:400])[:1]
    opening = first[0] if first else ""
    places = [match.span() for match in find_places(text)]
    candidates.extend(_proper_names(text, opening, places))
    candidates.extend(_salient_lemmas(text, opening, places))
    unique: dict[str, str] = {}
    for tag in candidates:
        key = strip_accents(tag.casefold())
        if tag and key not in unique and not _is_part_of_chosen(key, unique):
            unique[key] = tag
    return list(unique.values())[:limit]


def _is_part_of_chosen(key: str, chosen: dict[str, str]) -> bool:
    return any(key in other for other in chosen)


def _proper_names(text: str, opening: str, places: list[tuple[int, int]]) -> list[str]:
    counts: Counter[str] = Counter()
    for match in _PROPER_RE.finditer(text):
        name = match.group(0)
        head = name.split()[0]
        if lemma(head) in GENERIC or head.lower() in STOPWORDS:
            continue
        if any(start <= match.start() < end for start, end in places):
            continue  # a street or a venue, not a subject
        counts[name] += 2 if name in opening else 1
    return [camel_case(name) for name, count in counts.most_common() if count >= 2]


def _salient_lemmas(
    text: str, opening: str, places: list[tuple[int, int]]
) -> list[str]:
    opening_words = set(words(opening))
    counts: Counter[str] = Counter()
    for start, end in places:  # "parc des Chênes" is no subject
        text = text[:start] + " " * (end - start) + text[end:]
    for token in words(text):
        value = content_lemma(token)
        if (
            not value
            or len(value) < 4
            or value in STOPWORDS
            or value in GENERIC
            or (not value.isalpha() and "-" not in value)
            or _is_verb_form(token, value)
        ):
            continue
        counts[value] += 2 if token in opening_words else 1
    ranked = sorted(counts, key=lambda value: (-counts[value], value))
    return [camel_case(value) for value in ranked if counts[value] >= 2]


def _is_verb_form(token: str, value: str) -> bool:
    """An inflected verb or a participle ("inscrivez" -> "inscrire", "barrée" ->
    "barré"): rarely a good tag."""
    if not token.lower().startswith(value[:3]):
        return True  # a joined pronoun or an irregular form
    return token.lower() != value and value.endswith(("er", "ir", "re", "oir", "é"))

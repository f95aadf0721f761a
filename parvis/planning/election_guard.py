"""The pre-election period guard (Code électoral, art. L52-1, L49).

Reads only. `promotion_signals(text)` finds the passages that read as promotion of the
authority's achievements or management, from the French lexicon maintained in
`data/promotion_fr.csv` (syntax in its header). `guard(...)` says what may be
published at an instant, from the authority's election calendar:

- outside every restricted window: level "none" (signals still returned, as advice);
- in a window (from the first day of the sixth month before the month of the first
  round, to the last round): promotion (a campaign that promotes achievements, a
  promotion signal, or content marked political) is "blocked" until a justification
  is recorded, then "warning"; an image or notoriety campaign alone is a "warning";
- on the eve and the day of a round (L49: "à partir de la veille du scrutin à zéro
  heure"): political or promotional content is "forbidden", whatever the justification.

Days are the authority's local days (`Authority.timezone`, Europe/Paris by default):
an instant is turned into a local date first, so midnight and the two daylight-saving
changes (a 23-hour Sunday in March, a 25-hour one in October) fall where they should.
"""

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from parvis.accounts.models import Membership
from parvis.accounts.roles import Role
from parvis.nlp.plain import compile_term
from parvis.nlp.text import sentences, strip_accents
from parvis.territory.models import Authority
from parvis.territory.selectors import ElectionWindow, election_windows

LEXICON = Path(__file__).parent / "data" / "promotion_fr.csv"
DEFAULT_TIMEZONE = "Europe/Paris"
# Campaign objectives that speak about the authority itself (slugs or labels).
SELF_PROMOTING_OBJECTIVES = frozenset({"image", "notoriete"})
# Two-term rule of the lexicon: praise counts only next to a mention of an elected.
ELECTED_KIND = "elu"
PRAISE_KIND = "eloge"

Level = Literal["none", "warning", "blocked", "forbidden"]


@dataclass(frozen=True)
class Signal:
    """One passage of a text that reads as promotion, with why."""

    matched: str  # the passage as written
    kind: str  # bilan, merite, promesse, superlatif, autosatisfaction, eloge, …
    explanation: str  # French, for the writer
    start: int
    end: int


@dataclass(frozen=True)
class GuardResult:
    blocked: bool
    level: Level
    reasons: list[str]  # French, for the writer and the validator
    window: ElectionWindow | None  # the restricted window the instant falls in
    signals: list[Signal] = field(default_factory=list)
    vote_day: dt.date | None = None  # the round whose eve or day it is


@dataclass(frozen=True)
class _Rule:
    pattern: re.Pattern[str]
    kind: str
    explanation: str


@cache
def lexicon() -> tuple[_Rule, ...]:
    """The rules of `data/promotion_fr.csv`, compiled once, accents folded."""
    rules = []
    with LEXICON.open(encoding="utf-8") as handle:
        lines = [line for line in handle if line.strip() and not line.startswith("#")]
    for line in lines[1:]:
        term, kind, explanation = (cell.strip() for cell in line.split(";", 2))
        source = term[3:] if term.startswith("re:") else compile_term(term)
        rules.append(_Rule(re.compile(_fold(source), re.IGNORECASE), kind, explanation))
    return tuple(rules)


def _fold(text: str) -> str:
    """`text` without accents, typographic apostrophes made straight, same length."""
    text = unicodedata.normalize("NFC", text)
    folded = strip_accents(text).replace("’", "'").replace("ʼ", "'")
    return folded if len(folded) == len(text) else text


def promotion_signals(text: str, *, elected_names: Iterable[str] = ()) -> list[Signal]:
    """The passages of `text` that read as promotion of the authority's achievements
    or management, in order, overlapping matches reduced to the longest. Praise
    ("bravo", "dynamisme"…) counts only in a sentence that mentions an elected, by
    office ("le maire") or by one of `elected_names`."""
    text = unicodedata.normalize("NFC", text)
    folded = _fold(text)
    found: list[Signal] = []
    for rule in lexicon():
        if rule.kind in (ELECTED_KIND, PRAISE_KIND):
            continue
        found += [_signal(text, match, rule) for match in rule.pattern.finditer(folded)]
    found += _praise_of_elected(text, folded, elected_names)
    found.sort(key=lambda signal: (signal.start, -(signal.end - signal.start)))
    kept: list[Signal] = []
    for signal in found:
        if not kept or signal.start >= kept[-1].end:
            kept.append(signal)
    return kept


def _signal(text: str, match: re.Match[str], rule: _Rule, *, offset: int = 0) -> Signal:
    start, end = offset + match.start(), offset + match.end()
    return Signal(text[start:end].strip(), rule.kind, rule.explanation, start, end)


def _sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of `text` as `nlp.text.sentences` cuts them, on
    the text as written (a sentence may have had its spaces collapsed)."""
    starts = []
    position = 0
    for sentence in sentences(text):
        start = text.find(sentence[:12], position)
        if start >= 0:
            starts.append(start)
            position = start + 1
    if not starts:
        return [(0, len(text))] if text.strip() else []
    starts[0] = 0
    return list(zip(starts, [*starts[1:], len(text)], strict=True))


def _praise_of_elected(
    text: str, folded: str, elected_names: Iterable[str]
) -> list[Signal]:
    rules = lexicon()
    offices = [rule.pattern for rule in rules if rule.kind == ELECTED_KIND]
    names = [
        re.compile(rf"(?<!\w){re.escape(_fold(name.strip()))}(?!\w)", re.IGNORECASE)
        for name in elected_names
        if len(name.strip()) > 3
    ]
    praises = [rule for rule in rules if rule.kind == PRAISE_KIND]
    found = []
    for begin, end in _sentence_spans(folded):
        sentence = folded[begin:end]
        if not any(pattern.search(sentence) for pattern in [*offices, *names]):
            continue
        for rule in praises:
            for match in rule.pattern.finditer(sentence):
                found.append(_signal(text, match, rule, offset=begin))
    return found


def elected_names(*, authority: Authority) -> list[str]:
    """Full names of the authority's members with the elected role."""
    return [
        name
        for name in Membership.objects.filter(
            authority=authority, role=Role.ELECTED
        ).values_list("user__full_name", flat=True)
        if name
    ]


def local_date(when: dt.datetime, *, authority: Authority) -> dt.date:
    """The authority's calendar day at the aware instant `when`."""
    if when.tzinfo is None or when.utcoffset() is None:
        raise ValueError("guard needs an aware datetime")
    try:
        zone = ZoneInfo(authority.timezone or DEFAULT_TIMEZONE)
    except ZoneInfoNotFoundError:
        zone = ZoneInfo(DEFAULT_TIMEZONE)
    return when.astimezone(zone).date()


def guard(
    text: str,
    *,
    authority: Authority,
    when: dt.datetime,
    campaign_objective: str | None = None,
    promotes_achievements: bool = False,
    political: bool = False,
    justification: str = "",
    names: Iterable[str] | None = None,
) -> GuardResult:
    """What the pre-election rules say about publishing `text` at `when` for
    `authority` (see the module docstring). `names` are the elected officials to
    recognise in praise; by default the authority's members with the elected role."""
    today = local_date(when, authority=authority)
    if names is None:
        names = elected_names(authority=authority)
    signals = promotion_signals(text, elected_names=names)
    windows = election_windows(authority=authority, today=today)
    active = [window for window in windows if window.is_active(today)]
    if not active:
        return GuardResult(False, "none", [], None, signals)
    window = min(active, key=lambda window: window.ends_on)
    promotion = _promotion_reasons(signals, promotes_achievements, political)
    vote_day = _eve_or_day_of_vote(active, today)
    if vote_day is not None and promotion:
        eve = vote_day != today
        reasons = [
            (
                "Veille du scrutin du {day} : à partir de zéro heure, aucun message à "
                "caractère politique ou de promotion (Code électoral, art. L49)."
                if eve
                else "Jour du scrutin : aucun message à caractère politique ou de "
                "promotion (Code électoral, art. L49)."
            ).format(day=f"{vote_day:%d/%m/%Y}"),
            *promotion,
            "Aucune justification ne lève cette interdiction.",
        ]
        return GuardResult(True, "forbidden", reasons, window, signals, vote_day)
    period = (
        f"Période préélectorale ({window.election}) depuis le "
        f"{window.starts_on:%d/%m/%Y} : pas de promotion des réalisations ou de la "
        "gestion de la collectivité (Code électoral, art. L52-1, alinéa 2)."
    )
    if promotion:
        if justification.strip():
            reasons = [period, *promotion, f"Justification : {justification.strip()}"]
            return GuardResult(False, "warning", reasons, window, signals, vote_day)
        reasons = [
            period,
            *promotion,
            "Publication bloquée tant qu'un validateur n'a pas écrit de justification.",
        ]
        return GuardResult(True, "blocked", reasons, window, signals, vote_day)
    if _normal(campaign_objective) in SELF_PROMOTING_OBJECTIVES:
        reasons = [
            period,
            "Campagne d'image ou de notoriété : vérifier qu'elle ne met en valeur ni "
            "les réalisations ni la gestion, et qu'elle existait avant la période "
            "sous la même forme.",
        ]
        return GuardResult(False, "warning", reasons, window, signals, vote_day)
    return GuardResult(False, "none", [], window, signals, vote_day)


def _promotion_reasons(
    signals: list[Signal], promotes_achievements: bool, political: bool
) -> list[str]:
    reasons = []
    if promotes_achievements:
        reasons.append(
            "La campagne a pour objet la promotion des réalisations de la collectivité."
        )
    if political:
        reasons.append("Le message est marqué comme politique.")
    reasons += [f"« {signal.matched} » : {signal.explanation}" for signal in signals]
    return reasons


def _eve_or_day_of_vote(
    windows: list[ElectionWindow], today: dt.date
) -> dt.date | None:
    """The round (first or second) whose eve or day `today` is, if any."""
    for window in windows:
        election = window.election
        for round_day in (election.first_round, election.second_round):
            if round_day is not None and today in (
                round_day - dt.timedelta(days=1),
                round_day,
            ):
                return round_day
    return None


def _normal(objective: str | None) -> str:
    return strip_accents((objective or "").strip().casefold())

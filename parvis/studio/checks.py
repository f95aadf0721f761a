"""Checks on every variant, shown in the editor and returned by the CLI.

fits            within the network's limits, counted the network's way
specificity     how much is copied from the source (word 5-shingle containment);
                mostly a copy of the page, or of its opening, is a "republication"
readability     Kandel-Moles score and sentence length against the audience's target
plain_language  administrative jargon and unexplained acronyms, with alternatives
accessibility   alt text, CamelCase hashtags, emoji density, capitals, link text
facts           every date, time, amount, phone and place exists in the source
"""

import re
from dataclasses import dataclass, field
from typing import Any

from parvis.connectors import text as textlib
from parvis.connectors.base import Credentials, Draft, MediaItem
from parvis.connectors.registry import connector_class
from parvis.nlp.facts import invented_facts
from parvis.nlp.hashtags import is_camel_case
from parvis.nlp.plain import plain_language_issues
from parvis.nlp.readability import readability
from parvis.nlp.shingles import containment
from parvis.nlp.text import sentences
from parvis.studio.links import display_url

THREAD_NUMBER = re.compile(r"\s\d{1,2}/\d{1,2}$", re.M)
# Containment from which a variant reads as a copy of the page's opening, or of the page.
REPUBLICATION = 0.5
REPUBLICATION_WHOLE = 0.7
OPENING_SENTENCES = 3
EMOJI = re.compile(
    "[\U0001f300-\U0001faff\U00002600-\U000027bf\U0001f1e6-\U0001f1ff\u2b50\u2b55]"
)
VAGUE_LINK_TEXT = re.compile(
    r"\b(cliquez ici|clique ici|ici|en savoir plus)\s*:?\s*$", re.I
)


@dataclass(frozen=True)
class CheckResult:
    ok: bool
    score: float | None
    message: str
    details: list[Any] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "score": self.score,
            "message": self.message,
            "details": self.details,
        }


def check_variant(
    parts: list[str],
    *,
    network: str,
    source_text: str,
    audience: Any,
    image_alt: str = "",
    has_image: bool = False,
    source_opening: str = "",
    source_title: str = "",
    source_url: str = "",
) -> dict[str, CheckResult]:
    """`source_text` is the page's body; its title counts for facts, not for copying
    (every post names what it is about)."""
    text = "\n\n".join(parts)
    # The page's own address (with or without UTM, or as written out for Instagram)
    # is not an invented fact.
    fact_source = (
        f"{source_title}\n{source_text}\n{source_url}\n{display_url(source_url)}"
    )
    return {
        "fits": check_fits(
            parts, network=network, image_alt=image_alt, has_image=has_image
        ),
        "specificity": check_specificity(text, source_text, source_opening),
        "readability": check_readability(text, getattr(audience, "reading_level", 60)),
        "plain_language": check_plain_language(text),
        "accessibility": check_accessibility(
            text, image_alt=image_alt, has_image=has_image
        ),
        "facts": check_facts(text, fact_source),
    }


def check_against_source(
    parts: list[str],
    *,
    source: Any,
    network: str,
    audience: Any,
    image_alt: str,
    has_image: bool | None = None,
) -> dict[str, CheckResult]:
    """`check_variant` for a variant written from `source` (a studio SourceText): its
    lead and text are the body, its title and address count for facts only."""
    from parvis.studio.engine import prepare_source

    body = "\n\n".join(part for part in (source.lead, source.text) if part)
    return check_variant(
        parts,
        network=network,
        source_text=body,
        source_title=prepare_source(source).headline,
        source_url=source.url,
        audience=audience,
        image_alt=image_alt,
        has_image=bool(source.image_url) if has_image is None else has_image,
    )


def check_fits(
    parts: list[str], *, network: str, image_alt: str, has_image: bool
) -> CheckResult:
    connector = _connector(network)
    media = (MediaItem(b"", "image/jpeg", image_alt or "-"),) if has_image else ()
    problems = connector.problems(
        Draft(parts=tuple(parts), idempotency_key="check", media=media)
    )
    lengths = [connector.count(part) for part in parts]
    summary = " + ".join(str(n) for n in lengths)
    if problems:
        return CheckResult(False, None, " ".join(problems), lengths)
    return CheckResult(
        True,
        None,
        f"{summary} / {connector.max_chars()} caractères comptés comme {connector.label}.",
        lengths,
    )


def check_specificity(
    text: str, source_text: str, source_opening: str = ""
) -> CheckResult:
    """Low containment = written for the network. Pasting a page copies its opening:
    a variant mostly made of the opening's words (or of the page's) is a republication.
    Practical facts (a date, an address) are expected to come from the page."""
    opening = source_opening or " ".join(sentences(source_text)[:OPENING_SENTENCES])
    start = containment(text, opening)
    whole = containment(text, source_text)
    copied = max(start, whole)
    if start >= REPUBLICATION or whole >= REPUBLICATION_WHOLE:
        return CheckResult(
            False,
            round(copied, 2),
            f"Republication : {copied:.0%} du message reprend mot pour mot la page"
            f"{' (son début)' if start >= REPUBLICATION else ''}. Écrivez pour le réseau : "
            "une accroche, l'essentiel, les infos pratiques.",
        )
    return CheckResult(
        True,
        round(copied, 2),
        f"Écrit pour le réseau : {start:.0%} repris du début de la page, "
        f"{whole:.0%} de la page entière (dates, lieux et contacts compris).",
    )


def check_readability(text: str, target: int) -> CheckResult:
    result = readability(_prose(text))
    ok = result.score >= target - 5 and result.longest_sentence_words <= 30
    advice = "" if ok else " Raccourcissez les phrases et préférez des mots courts."
    return CheckResult(
        ok,
        round(result.score, 1),
        f"Lisibilité {result.score:.0f} ({result.level}), objectif {target} pour ce public ; "
        f"{result.words_per_sentence:.0f} mots par phrase en moyenne, "
        f"{result.longest_sentence_words} au plus.{advice}",
    )


def check_plain_language(text: str) -> CheckResult:
    issues = plain_language_issues(text)
    if not issues:
        return CheckResult(
            True, 0, "Langage clair : pas de jargon ni de sigle inexpliqué."
        )
    listed = " ; ".join(
        f"« {issue.term} » → {issue.suggestion}"
        if issue.suggestion
        else f"« {issue.term} »"
        for issue in issues[:6]
    )
    return CheckResult(
        False,
        len(issues),
        f"{len(issues)} terme(s) à simplifier : {listed}.",
        [issue.__dict__ for issue in issues],
    )


def check_accessibility(text: str, *, image_alt: str, has_image: bool) -> CheckResult:
    problems = []
    if has_image and not image_alt.strip():
        problems.append("l'image n'a pas de texte alternatif")
    for tag in textlib.find_hashtags(text):
        if not is_camel_case(tag):
            problems.append(f"mot-dièse #{tag} à écrire en CamelCase")
    emoji = len(EMOJI.findall(text))
    words = max(1, len(text.split()))
    if emoji > 1 and emoji / words > 0.08:
        problems.append(f"{emoji} émojis : trop pour {words} mots")
    for line in text.splitlines():
        stripped = EMOJI.sub("", line).strip()
        if line.strip() and not stripped:
            problems.append(
                "une ligne n'est faite que d'émojis (sens porté par l'image seule)"
            )
            break
    capitals = [w for w in re.findall(r"\b[A-ZÀ-Ý]{5,}\b", text)]
    if len(capitals) >= 3:
        problems.append("trop de mots en capitales (lus lettre à lettre)")
    for line in text.splitlines():
        if VAGUE_LINK_TEXT.search(line):
            problems.append("lien annoncé par « cliquez ici » : dites où il mène")
            break
    if problems:
        return CheckResult(
            False, len(problems), "Accessibilité : " + " ; ".join(problems) + "."
        )
    return CheckResult(
        True, 0, "Accessible : texte alternatif, mots-dièse et émojis corrects."
    )


def check_facts(text: str, source_text: str) -> CheckResult:
    # "2/3" closing a thread part is numbering, not a date. Each line on its own: a
    # place ending a line must not run into the label of the next one.
    lines = THREAD_NUMBER.sub("", text).splitlines()
    invented = [
        fact
        for line in lines
        if line.strip()
        for fact in invented_facts(line, source_text)
    ]
    if invented:
        listed = ", ".join(f"« {fact.text} »" for fact in invented[:6])
        return CheckResult(
            False,
            len(invented),
            f"Faits absents de la source : {listed}. Vérifiez-les avant publication.",
            [fact.__dict__ for fact in invented],
        )
    return CheckResult(
        True,
        0,
        "Tous les faits (dates, heures, montants, lieux) viennent de la source.",
    )


def _prose(text: str) -> str:
    """The sentences of a post, without hashtag lines, links and numbering; each line
    (a fact line has no full stop) counts as its own sentence."""
    text = THREAD_NUMBER.sub("", textlib.URL_PATTERN.sub("", text))
    lines = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        lines.append(line if line[-1] in ".!?…" else f"{line}.")
    return "\n".join(lines)


_CONNECTORS: dict[str, Any] = {}


def _connector(network: str) -> Any:
    if network not in _CONNECTORS:
        _CONNECTORS[network] = connector_class(network)(Credentials(access_token=""))
    return _CONNECTORS[network]

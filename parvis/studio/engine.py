"""The deterministic adaptation engine: an article becomes a message written for one
network and one audience, never a paste of the page.

    prepare_source(article)            once per article: sentences, lemmas, topics, facts
    adapt(article, network, audience)  per variant: pick, compose, fit

What a variant is made of:
- a hook: the title, opened for the audience ("Pour les familles : …"), one emoji at most
  (never alone: the words carry the meaning);
- a short context: the sentences that matter most to this audience (its topics and
  angle, the facts they hold), shortened;
- the key facts as labelled lines (Quand, Où, Tarif, Inscription, Contact);
- a call to action in the audience's register (vous / tu), with the link tagged with UTM
  parameters (Instagram: where to find the link, since links do not click there);
- CamelCase hashtags, as many as the network's editorial rule allows;
- cut into a numbered thread where the network has threads and the text needs it.
"""

import re
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache

from parvis.nlp.facts import Fact, extract_facts
from parvis.nlp.hashtags import camel_case, hashtag_candidates, is_camel_case
from parvis.nlp.lemmas import lemmas
from parvis.nlp.plain import safe_replacements
from parvis.nlp.text import sentences as split_sentences
from parvis.nlp.text import words
from parvis.nlp.topics import topic_scores
from parvis.studio.audiences import (
    ANGLE_LEMMAS,
    CALLS,
    FACT_PRIORITY,
    OPENINGS,
    AudienceProfile,
)
from parvis.studio.links import display_url, with_utm
from parvis.studio.networks import NetworkStyle, style_for


@dataclass(frozen=True)
class SourceText:
    title: str
    text: str
    url: str = ""
    lead: str = ""
    published_at: datetime | None = None
    image_url: str = ""
    image_alt: str = ""
    authority_name: str = ""


@dataclass(frozen=True)
class GeneratedVariant:
    network: str
    audience_slug: str
    parts: list[str]
    hashtags: list[str]
    links: list[str]
    image_alt: str

    @property
    def text(self) -> str:
        return "\n\n".join(self.parts)


@dataclass(frozen=True)
class Sentence:
    text: str
    index: int
    lemmas: frozenset[str]
    topics: dict[str, float]
    facts: tuple[Fact, ...]
    word_count: int


@dataclass(frozen=True)
class PreparedSource:
    source: SourceText
    headline: str
    sentences: tuple[Sentence, ...]
    facts: tuple[Fact, ...]
    hashtags: tuple[str, ...]
    topic: str  # dominant topic slug
    plain_fixes: tuple[tuple[str, str], ...] = field(default=())
    time_ranges: tuple[tuple[str, str], ...] = field(default=())


TOPIC_EMOJI = {
    "voirie": "🚧",
    "proprete": "♻️",
    "transports": "🚌",
    "urbanisme": "🏗️",
    "education": "🎒",
    "environnement": "🌳",
    "culture": "🎭",
    "social": "🤝",
    "economie": "💼",
    "budget": "📊",
    "securite": "⚠️",
    "democratie": "🗳️",
}
# Fact lines are labelled with words only: one emoji in the hook is enough (emoji used
# sparingly, never carrying meaning alone).
FACT_LABELS = {
    "date": "Quand",
    "place": "Où",
    "amount": "Tarif",
    "registration": "Inscription",
    "phone": "Téléphone",
    "email": "Courriel",
    "url": "En ligne",
}
FACTS_PER_KIND = {
    "date": 3,
    "time": 3,
    "place": 3,
    "amount": 2,
    "registration": 1,
    "url": 2,
    "phone": 1,
    "email": 1,
}
TITLE_SUFFIX = re.compile(r"\s+[|–—-]\s+[^|–—-]{2,60}$")
PARENTHESIS = re.compile(r"\s*\([^()]{0,80}\)")
MAX_CONTEXT_WORDS = 22
DANGLING = frozenset(
    [
        "de",
        "du",
        "des",
        "d'",
        "à",
        "au",
        "aux",
        "la",
        "le",
        "les",
        "l'",
        "un",
        "une",
        "et",
        "ou",
        "en",
        "sur",
        "par",
        "pour",
        "avec",
        "h",
    ]
)
_HOUR = r"\d{1,2}\s?h(?:\s?\d{2})?"
TIME_RANGE = re.compile(rf"(?:de|entre)\s+({_HOUR})\s+(?:à|et)\s+({_HOUR})")


@lru_cache(maxsize=256)
def prepare_source(source: SourceText) -> PreparedSource:
    """What every variant of one article shares; computed once per article."""
    body = "\n\n".join(part for part in (source.lead, source.text) if part)
    prepared = []
    for index, text in enumerate(split_sentences(body)):
        prepared.append(
            Sentence(
                text=text,
                index=index,
                lemmas=frozenset(lemmas(text)),
                topics=topic_scores(text),
                facts=tuple(extract_facts(text)),
                word_count=len(words(text)),
            )
        )
    totals: dict[str, float] = {}
    for sentence in prepared:
        for topic, score in sentence.topics.items():
            totals[topic] = totals.get(topic, 0.0) + score
    headline = TITLE_SUFFIX.sub("", source.title.strip())
    topic = max(totals, key=lambda slug: totals[slug]) if totals else ""
    # Plainer words for the jargon. Acronyms are left for the editor to spell out
    # (the plain-language check lists them): an expansion would bring words the
    # page does not have, and the facts check would rightly question them.
    fixes = tuple(safe_replacements(f"{headline}\n{body}"))
    facts = [*extract_facts(f"{headline}\n{body}"), *_labelled_places(body)]
    candidates = [headline, *(s.text for s in prepared[:6])]
    hashtags = hashtag_candidates(" ".join(candidates), 12)
    return PreparedSource(
        source=source,
        headline=headline,
        sentences=tuple(prepared),
        facts=tuple(_ranked(facts, prepared, headline)),
        hashtags=tuple(tag for tag in hashtags if is_camel_case(tag)),
        topic=topic,
        plain_fixes=fixes,
        time_ranges=tuple(
            (start, end) for start, end in TIME_RANGE.findall(f"{headline}\n{body}")
        ),
    )


LABELLED_PLACE = re.compile(
    r"^[-•*\s]*(?:lieux?(?: de [a-zé ]+)?|adresse|où|rendez-vous)\s*:\s*(.{3,120})$",
    re.I | re.M,
)
PRIORITY_LEMMAS = frozenset(
    [
        "inscription",
        "inscrire",
        "réservation",
        "réserver",
        "limite",
        "avant",
        "candidature",
        "ouverture",
        "ouvert",
        "horaire",
        "date",
        "clôture",
        "rendez-vous",
        "réunion",
    ]
)


def _labelled_places(body: str) -> list[Fact]:
    """ "Lieu : …" or "Adresse : …" lines of a practical-details box."""
    return [
        Fact(kind="place", text=value.strip().rstrip("."), key=value.strip().casefold())
        for value in LABELLED_PLACE.findall(body)
    ]


def _ranked(facts: list[Fact], sentences: list[Sentence], headline: str) -> list[Fact]:
    """Facts most worth keeping first: those of the headline and the lead, those next to
    a registration or a deadline, labelled places; then in reading order."""
    weights: dict[str, float] = {}
    for sentence in sentences:
        weight = 0.0
        if sentence.index < 2:
            weight += 2
        if sentence.lemmas & PRIORITY_LEMMAS:
            weight += 3
        for fact in sentence.facts:
            weights[fact.text] = max(weights.get(fact.text, 0.0), weight)
    for fact in extract_facts(headline):
        weights[fact.text] = weights.get(fact.text, 0.0) + 3

    def rank(item: tuple[int, Fact]) -> tuple[float, int]:
        position, fact = item
        bonus = 1.5 if fact.text not in weights else 0.0  # labelled place
        return (-(weights.get(fact.text, 0.0) + bonus), position)

    return [fact for _, fact in sorted(enumerate(facts), key=rank)]


def adapt(
    source: SourceText,
    *,
    network: str,
    audience: AudienceProfile,
    campaign_slug: str = "",
    partners: dict[str, str] | None = None,
) -> GeneratedVariant:
    prepared = prepare_source(source)
    style = style_for(network)
    link = with_utm(source.url, network=network, campaign=campaign_slug)
    hashtags = _hashtags(prepared, style)
    blocks = [
        _hook(prepared, style, audience),
        _context(prepared, style, audience),
        _fact_lines(prepared, style, audience),
        _call(prepared, style, audience, link),
        " ".join(f"#{tag}" for tag in hashtags),
    ]
    blocks = _plain(blocks, prepared)
    blocks = _with_partners([block for block in blocks if block], partners or {})
    parts = _fit(blocks, style)
    return GeneratedVariant(
        network=network,
        audience_slug=audience.slug,
        parts=parts,
        hashtags=hashtags,
        links=[link] if link and style.clickable_links else [],
        image_alt=source.image_alt,
    )


# -- blocks -------------------------------------------------------------------------------
def _hook(
    prepared: PreparedSource, style: NetworkStyle, audience: AudienceProfile
) -> str:
    opening = OPENINGS.get(audience.angle, OPENINGS["general"]).get(
        audience.register, ""
    )
    if style.professional and audience.angle in {"jeunes", "familles"}:
        opening = ""
    headline = prepared.headline.rstrip(" .")
    # The headline keeps its capital: it may start with a proper name.
    separator = " — " if ":" in headline else " : "
    hook = f"{opening}{separator}{headline}" if opening else headline
    emoji = TOPIC_EMOJI.get(prepared.topic, "") if style.emoji else ""
    return f"{emoji} {hook}".strip()


def _score(sentence: Sentence, audience: AudienceProfile) -> float:
    interest = sum(sentence.topics.get(topic, 0.0) for topic in audience.interests)
    angle = len(sentence.lemmas & ANGLE_LEMMAS.get(audience.angle, frozenset()))
    facts = len({fact.kind for fact in sentence.facts})
    length_penalty = max(0, sentence.word_count - 30) * 0.05
    return (
        2.0 * interest
        + 1.0 * angle
        + 0.8 * facts
        - 0.08 * sentence.index
        - (length_penalty)
    )


def _context(
    prepared: PreparedSource, style: NetworkStyle, audience: AudienceProfile
) -> str:
    """The sentences that matter most to this audience, in reading order, shortened.
    The very first sentence of the page is what a paste would copy: it is only used
    when nothing else says as much."""
    candidates = [
        s
        for s in prepared.sentences
        if s.word_count >= 6 and s.text.rstrip()[-1:] in ".!?…»)"
    ] or [s for s in prepared.sentences if s.word_count >= 5]
    if len(candidates) > 1:
        candidates = [s for s in candidates if s.index > 0] or candidates
    ranked = sorted(candidates, key=lambda s: _score(s, audience), reverse=True)
    chosen = sorted(ranked[: style.summary_sentences], key=lambda s: s.index)
    return " ".join(_shorten(s.text, prepared) for s in chosen)


def _keeps_grammar(term: str, plain: str) -> bool:
    """An infinitive in place of a conjugated verb ("procèdent à" -> "faire") would
    break the sentence: such replacements are left to the editor."""
    first_term, first_plain = term.split()[0].lower(), plain.split()[0].lower()
    infinitive = first_plain.endswith(("er", "ir", "re"))
    return not infinitive or first_term.endswith(("er", "ir", "re"))


def _plain(blocks: list[str], prepared: PreparedSource) -> list[str]:
    """Each jargon term replaced by plainer words in the prose blocks (not in the
    call to action's link nor in hashtags)."""
    result = []
    for block in blocks:
        if not block.startswith("#") and not (
            "://" in block and len(block.split()) < 8
        ):
            for term, plain in prepared.plain_fixes:
                if not plain.strip() or not _keeps_grammar(term, plain):
                    continue
                after = r"(?![\w/.-])" if term[-1:].isalnum() else ""
                pattern = rf"(?<![\w/.-]){re.escape(term)}{after}"
                block = re.sub(pattern, plain, block)
        result.append(block)
    return result


def _shorten(text: str, prepared: PreparedSource) -> str:
    """No parenthesis, at most MAX_CONTEXT_WORDS words (cut at a comma when possible,
    never inside a link)."""
    text = PARENTHESIS.sub("", text)
    tokens = text.split()
    if len(tokens) <= MAX_CONTEXT_WORDS:
        return text.strip()
    head = " ".join(tokens[:MAX_CONTEXT_WORDS])
    cut = max(head.rfind(", "), head.rfind(" ; "))
    if cut > len(head) // 2:
        head = head[:cut]
    kept = head.split()
    # Never end on a link ("…" would break it), a number or a small word ("de 9…").
    while kept and (
        "://" in kept[-1] or kept[-1][:1].isdigit() or kept[-1].lower() in DANGLING
    ):
        kept.pop()
    return " ".join(kept).rstrip(" ,;:") + "…"


def _fact_lines(
    prepared: PreparedSource, style: NetworkStyle, audience: AudienceProfile
) -> str:
    """The practical details, one labelled line per kind, in the order this audience
    looks for them. Times join the dates ("Quand"); the page's own address is left to
    the call to action."""
    page = _comparable_url(prepared.source.url)
    by_kind: dict[str, list[Fact]] = {}
    seen: set[str] = set()
    for fact in prepared.facts:
        if f"{fact.kind}:{fact.key}" in seen or fact.text.casefold() in seen:
            continue
        if fact.kind == "registration" and not _says_more(fact):
            continue  # the bare word "inscription": the call to action covers it
        if fact.kind == "url" and (not page or _comparable_url(fact.text) == page):
            continue
        seen.update({f"{fact.kind}:{fact.key}", fact.text.casefold()})
        by_kind.setdefault(fact.kind, []).append(fact)
    lines = []
    for kind in FACT_PRIORITY.get(audience.angle, FACT_PRIORITY["general"]):
        values = [f.text for f in by_kind.get(kind, [])[: FACTS_PER_KIND.get(kind, 1)]]
        if kind == "date":
            values += _times(by_kind.get("time", []), prepared.time_ranges)
        if values:
            lines.append(f"{FACT_LABELS[kind]} : {' ; '.join(values)}")
    return "\n".join(lines)


def _times(facts: list[Fact], ranges: tuple[tuple[str, str], ...]) -> list[str]:
    """The first times, written as the page's ranges ("de 8 h à 17 h") where two of
    them form one: a bare list of hours would not say which opens and which closes."""
    texts = [fact.text for fact in facts]
    values: list[str] = []
    used: set[str] = set()
    for start, end in ranges:
        if start in texts and end in texts and start not in used and end not in used:
            values.append(f"de {start} à {end}")
            used.update({start, end})
    values += [text for text in texts if text not in used]
    return values[: FACTS_PER_KIND["time"]]


def _comparable_url(url: str) -> str:
    return url.split("?", 1)[0].split("#", 1)[0].rstrip("/").removeprefix("https://")


def _says_more(fact: Fact) -> bool:
    return len(fact.text.split()) > 2


def _call(
    prepared: PreparedSource, style: NetworkStyle, audience: AudienceProfile, link: str
) -> str:
    register = "vous" if style.professional else audience.register
    kinds = {
        fact.kind
        for fact in prepared.facts
        if fact.kind != "registration" or _says_more(fact)
    }
    if link:
        how = link if style.clickable_links else f"lien en bio ({display_url(link)})"
        call = "register" if "registration" in kinds else "info"
        return CALLS[call][register].format(how=how)
    phones = [fact.text for fact in prepared.facts if fact.kind == "phone"]
    if phones:
        return CALLS["contact"][register].format(how=phones[0])
    return ""


def _hashtags(prepared: PreparedSource, style: NetworkStyle) -> list[str]:
    tags = []
    if prepared.source.authority_name:
        tags.append(camel_case(prepared.source.authority_name))
    tags.extend(prepared.hashtags)
    unique = list(dict.fromkeys(tag for tag in tags if tag))
    return unique[: style.max_hashtags]


def _with_partners(blocks: list[str], partners: dict[str, str]) -> list[str]:
    """Name each partner by its account on this network, once in the message (at its
    first mention); longer names first, so that a name inside another is not taken."""
    result = list(blocks)
    for name in sorted(partners, key=len, reverse=True):
        for index, block in enumerate(result):
            if name in block and f"{name} (" not in block:
                result[index] = block.replace(name, f"{name} ({partners[name]})", 1)
                break
    return result


# -- fitting ------------------------------------------------------------------------------
def _fit(blocks: list[str], style: NetworkStyle) -> list[str]:
    text = "\n\n".join(blocks)
    if style.count(text) <= style.max_chars:
        return [text]
    if not style.threads:
        return [_trim(blocks, style)]
    return _thread(blocks, style)


def _trim(blocks: list[str], style: NetworkStyle) -> str:
    """Where threads do not exist, shorten the context until the message fits."""
    context = blocks[1] if len(blocks) > 1 else ""
    while context and style.count("\n\n".join(blocks)) > style.max_chars:
        context = " ".join(context.split()[:-8]).rstrip(" ,;:") + "…"
        blocks = [blocks[0], context, *blocks[2:]]
        if len(context.split()) < 8:
            blocks = [blocks[0], *blocks[2:]]
            break
    return "\n\n".join(blocks)[: style.max_chars]


def _thread(blocks: list[str], style: NetworkStyle) -> list[str]:
    """Numbered parts, each under the limit: the blocks are packed in order, and a
    block too long alone is cut on its sentences."""
    from parvis.connectors.text import split_thread

    suffix_room = len(" 10/10")
    budget = style.max_chars - suffix_room
    pieces: list[str] = []
    for block in blocks:
        if style.count(block) <= budget:
            pieces.append(block)
            continue
        # Too long alone: its lines (fact lines stay whole), then a line's sentences.
        for line in block.splitlines():
            if style.count(line) <= budget:
                pieces.append(line)
            else:
                pieces.extend(
                    split_thread(
                        line, max_chars=budget, count=style.count, numbered=False
                    )
                )
    parts: list[str] = []
    current = ""
    for piece in pieces:
        candidate = f"{current}\n\n{piece}" if current else piece
        if style.count(candidate) <= budget:
            current = candidate
        else:
            parts.append(current)
            current = piece
    if current:
        parts.append(current)
    parts = [part for part in parts if part]
    if len(parts) == 1:
        return parts
    return [f"{part} {index}/{len(parts)}" for index, part in enumerate(parts, 1)]

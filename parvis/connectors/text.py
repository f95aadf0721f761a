"""Counting text the way each network does, and splitting threads.

- X: weighted length of twitter-text v3 (URLs 23, CJK and emoji 2) — `twitter-text-parser`.
- Bluesky: 300 graphemes (extended grapheme clusters, the `regex` module's \\X).
- Mastodon: characters, each URL counting 23 (or what the instance reports).
- Facebook, Instagram, LinkedIn: characters (Unicode code points).
"""

import re
import unicodedata
import warnings
from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import Any

import regex

URL_PATTERN = re.compile(r"https?://[^\s<>\"'«»]+[^\s<>\"'«».,;:!?)\]]", re.IGNORECASE)
HASHTAG_PATTERN = re.compile(r"(?<![\w#])#(\w*[^\W\d_]\w*)", re.UNICODE)
MENTION_PATTERN = re.compile(r"(?<![\w@])@([\w.-]+(?:@[\w.-]+\.\w+)?)", re.UNICODE)
SENTENCE_END = re.compile(r"(?<=[.!?…])\s+(?=[A-ZÀ-ÖØ-Þ0-9«\"“(@#])")


def find_urls(text: str) -> list[re.Match[str]]:
    return list(URL_PATTERN.finditer(text))


def find_hashtags(text: str) -> list[str]:
    return [match.group(1) for match in HASHTAG_PATTERN.finditer(text)]


def find_mentions(text: str) -> list[str]:
    return [match.group(1) for match in MENTION_PATTERN.finditer(text)]


def count_chars(text: str) -> int:
    return len(text)


@lru_cache(maxsize=8192)
def count_graphemes(text: str) -> int:
    return len(regex.findall(r"\X", text))


def count_with_url_length(text: str, url_length: int | None) -> int:
    if url_length is None:
        return len(text)
    total = len(text)
    for match in find_urls(text):
        total += url_length - len(match.group(0))
    return total


def _twitter_parse() -> Callable[[str], Any]:
    with warnings.catch_warnings():
        # The package reads its emoji table through pkg_resources, which warns.
        warnings.simplefilter("ignore")
        from twitter_text import parse_tweet
    return parse_tweet


@lru_cache(maxsize=8192)
def count_x(text: str) -> int:
    """Weighted length of a post on X, as twitter-text v3 computes it."""
    return int(_twitter_parse()(text).weightedLength)


def comparable(text: str) -> str:
    """A form of a text that survives the networks' rewrites (links shortened, spaces
    and case changed, some markup stripped), to recognise our own post."""
    text = re.sub(r"<[^>]+>", " ", text)  # Mastodon returns HTML
    text = URL_PATTERN.sub(" ", text)
    text = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(word for word in re.findall(r"\w+", text))[:200]


def split_thread(
    text: str,
    *,
    max_chars: int,
    count: Callable[[str], int],
    numbered: bool = True,
    max_parts: int = 25,
) -> list[str]:
    """Cut `text` into parts that each fit, on sentence boundaries (then on words for a
    sentence too long alone), numbered "1/3" when there is more than one part."""
    text = text.strip()
    if count(text) <= max_chars:
        return [text]
    # Room for the " 10/12" suffix, counted generously.
    budget = max_chars - (len(f" {max_parts}/{max_parts}") if numbered else 0)
    pieces: list[str] = []
    for paragraph in re.split(r"\n\s*\n", text):
        for sentence in SENTENCE_END.split(paragraph.strip()):
            if sentence:
                pieces.extend(_cut_long(sentence, budget, count))
    parts: list[str] = []
    current = ""
    for piece in pieces:
        candidate = f"{current} {piece}".strip() if current else piece
        if count(candidate) <= budget:
            current = candidate
        else:
            if current:
                parts.append(current)
            current = piece
    if current:
        parts.append(current)
    if len(parts) > max_parts:
        raise ValueError(f"text needs {len(parts)} parts, more than {max_parts}")
    if numbered and len(parts) > 1:
        parts = [f"{part} {index}/{len(parts)}" for index, part in enumerate(parts, 1)]
    return parts


def _cut_long(sentence: str, budget: int, count: Callable[[str], int]) -> list[str]:
    if count(sentence) <= budget:
        return [sentence]
    chunks: list[str] = []
    current = ""
    for word in sentence.split():
        candidate = f"{current} {word}".strip()
        if count(candidate) <= budget:
            current = candidate
            continue
        if current:
            chunks.append(current)
        while count(word) > budget:  # a single word longer than a post
            chunks.append(word[:budget])
            word = word[budget:]
        current = word
    if current:
        chunks.append(current)
    return chunks


def draft_problems(
    *,
    parts: Sequence[str],
    media: Sequence[Any],
    limits: Any,
    max_chars: int,
    count: Callable[[str], int],
    threads: bool,
    images: bool,
    label: str,
) -> list[str]:
    """Every reason, in French, why a draft does not fit a network."""
    problems = []
    if not parts or not any(part.strip() for part in parts):
        problems.append("Le message est vide.")
    if len(parts) > 1 and not threads:
        problems.append(f"{label} ne publie pas de fil : un seul message est possible.")
    for index, part in enumerate(parts, 1):
        length = count(part)
        if length > max_chars:
            where = f"La partie {index}" if len(parts) > 1 else "Le message"
            problems.append(
                f"{where} compte {length} caractères pour {label}, "
                f"au-delà de la limite de {max_chars}."
            )
    if limits.max_hashtags is not None:
        hashtags = sum(len(find_hashtags(part)) for part in parts)
        if hashtags > limits.max_hashtags:
            problems.append(
                f"{hashtags} mots-dièse : {label} en accepte {limits.max_hashtags} au plus."
            )
    if media and not images:
        problems.append(f"{label} : les images ne sont pas prises en charge ici.")
    if len(media) > limits.max_images:
        problems.append(
            f"{len(media)} images : {label} en accepte {limits.max_images} au plus."
        )
    for item in media:
        if not item.alt_text.strip():
            problems.append(
                "Chaque image doit avoir un texte alternatif (accessibilité, RGAA)."
            )
            break
        if len(item.alt_text) > limits.max_alt_chars:
            problems.append(
                f"Texte alternatif trop long : {limits.max_alt_chars} caractères au plus."
            )
            break
        if len(item.content) > limits.max_image_bytes:
            problems.append(
                f"Image trop lourde pour {label} : "
                f"{limits.max_image_bytes // 1_000_000} Mo au plus."
            )
            break
    return problems

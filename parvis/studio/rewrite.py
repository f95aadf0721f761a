"""Optional rewriting of a variant by a language model, through an OpenAI-compatible
chat completions endpoint chosen by the operator (settings.LLM_API_URL; empty: off).

The model gets the source and the variant's text with the rules of the network and of
the audience, and answers with the message only (thread parts separated by lines of
`---`). What it writes is a proposal: the studio checks it like any text (the facts
check shows what it invented) and a person saves it before it can be scheduled.

Every failure raises `RewriteFailed`, whose text is a French sentence for the editor:
the endpoint is not configured, does not answer in time or at all, answers with an
error (key refused, too many requests, server error) or without a message (not JSON,
empty, cut short). The API key is sent in the Authorization header and never logged.
"""

import logging
import re
from typing import Any

import httpx
from django.conf import settings

from parvis.connectors.base import USER_AGENT
from parvis.studio.audiences import AudienceProfile
from parvis.studio.display import COUNTING
from parvis.studio.networks import style_for
from parvis.territory.vocabularies import Tone

logger = logging.getLogger(__name__)

TEMPERATURE = 0.3
# Long pages are cut: the facts of a message are near the top, and self-hosted models
# often have small contexts.
SOURCE_MAX_CHARS = 12_000
PART_SEPARATOR = "---"
SEPARATOR_LINE = re.compile(r"^[ \t]*-{3,}[ \t]*$", re.M)
FENCE = re.compile(r"\A```[\w-]*[ \t]*\n(?P<text>.*?)\n?```\Z", re.S)
QUOTE_PAIRS = (('"', '"'), ("«", "»"), ("“", "”"), ("'", "'"))
EMPTY = (
    "Le service d'IA n'a proposé aucun texte. Réessayez, ou modifiez la variante à la "
    "main."
)


class RewriteFailed(Exception):
    """The model gave no usable text; the message says why, in French."""


def rewrite_enabled() -> bool:
    return bool(settings.LLM_API_URL)


def llm_client() -> httpx.Client:
    """The HTTP client for the endpoint (the seam tests replace)."""
    return httpx.Client(
        timeout=settings.LLM_TIMEOUT_SECONDS, headers={"User-Agent": USER_AGENT}
    )


def rewrite_variant(
    *,
    parts: list[str],
    network: str,
    audience: AudienceProfile,
    source_title: str,
    source_text: str,
    http: httpx.Client | None = None,
) -> list[str]:
    """The model's rewriting of `parts` for `network` and `audience`, as message parts
    (one, or several for a thread where the network has threads)."""
    if not rewrite_enabled():
        raise RewriteFailed("La réécriture par l'IA n'est pas activée sur Parvis.")
    payload = {
        "model": settings.LLM_MODEL,
        "messages": [
            {
                "role": "system",
                "content": system_prompt(network=network, audience=audience),
            },
            {
                "role": "user",
                "content": user_prompt(
                    parts=parts, source_title=source_title, source_text=source_text
                ),
            },
        ],
        "temperature": TEMPERATURE,
    }
    headers = {}
    if settings.LLM_API_KEY:
        headers["Authorization"] = f"Bearer {settings.LLM_API_KEY}"
    client = http or llm_client()
    try:
        response = client.post(
            f"{settings.LLM_API_URL.rstrip('/')}/chat/completions",
            json=payload,
            headers=headers,
            timeout=settings.LLM_TIMEOUT_SECONDS,
        )
    except httpx.TimeoutException as error:
        logger.warning("language model endpoint timed out: %s", type(error).__name__)
        seconds = f"{settings.LLM_TIMEOUT_SECONDS:g}"
        raise RewriteFailed(
            f"Le service d'IA n'a pas répondu à temps ({seconds} s). Réessayez plus "
            "tard, ou modifiez la variante à la main."
        ) from error
    except httpx.HTTPError as error:
        logger.warning("language model endpoint unreachable: %s", type(error).__name__)
        raise RewriteFailed(
            "Le service d'IA est injoignable. Réessayez plus tard, ou modifiez la "
            "variante à la main."
        ) from error
    finally:
        if http is None:
            client.close()
    content = _content(response)
    result = message_parts(content, threads=style_for(network).threads)
    if not result:
        raise RewriteFailed(EMPTY)
    return result


def system_prompt(*, network: str, audience: AudienceProfile) -> str:
    """What the model is asked to do, in French, with this network's and this
    audience's rules."""
    style = style_for(network)
    register = (
        "Tutoie le lecteur (« tu »)."
        if audience.register == "tu"
        else "Vouvoie le lecteur (« vous »)."
    )
    tone = str(dict(Tone.choices).get(audience.tone, audience.tone)).lower()
    lines = [
        "Tu rédiges pour le service communication d'une collectivité locale française.",
        f"Réécris le message fourni pour {style.label}, à partir de l'article source, "
        f"pour le public « {audience.name} ».",
        f"Longueur : {style.max_chars} caractères au plus par message, comptés à la "
        f"façon du réseau. {COUNTING[network]}",
        (
            "Si le texte ne tient pas en un message, fais-en un fil : sépare les "
            f"messages par une ligne qui ne contient que {PART_SEPARATOR} et termine "
            "chacun par son numéro (1/3, 2/3…)."
            if style.threads
            else "Un seul message, sans le découper."
        ),
        f"Public : {register} Ton {tone}."
        + (
            " Registre professionnel."
            if style.professional and tone != "professionnel"
            else ""
        ),
        "Garde exactement chaque fait : dates, heures, lieux, montants, numéros de "
        "téléphone et liens, écrits comme dans le message fourni. N'invente rien : "
        "aucun fait, chiffre, nom ni citation qui ne soit dans la source.",
        "Français simple et clair : phrases courtes, pas de jargon administratif, "
        "sigles expliqués.",
        f"Mots-dièse en CamelCase (#FêteDuJeu), {style.max_hashtags} au plus.",
        (
            "Au plus un émoji, jamais seul porteur du sens."
            if style.emoji
            else "Pas d'émoji."
        ),
    ]
    if not style.clickable_links:
        lines.append(
            f"Les liens ne sont pas cliquables sur {style.label} : dis où trouver "
            "le lien (« lien en bio »)."
        )
    lines.append(
        "Réponds uniquement par le message : sans titre, sans commentaire, sans "
        "guillemets autour, sans mise en forme Markdown."
    )
    return "\n".join(f"- {line}" if index else line for index, line in enumerate(lines))


def user_prompt(*, parts: list[str], source_title: str, source_text: str) -> str:
    message = f"\n{PART_SEPARATOR}\n".join(parts)
    return (
        f"Article source\nTitre : {source_title}\n\n"
        f"{source_text[:SOURCE_MAX_CHARS]}\n\n"
        f"Message à réécrire\n{message}"
    )


def message_parts(content: str, *, threads: bool) -> list[str]:
    """The parts of the model's answer, without the code fence or the quotes it may
    wrap them in; where the network has no threads, several parts make one message."""
    parts = [_unwrap(part) for part in SEPARATOR_LINE.split(_unwrap(content))]
    parts = [part for part in parts if part]
    if not threads and len(parts) > 1:
        return ["\n\n".join(parts)]
    return parts


def _unwrap(text: str) -> str:
    text = text.strip()
    while True:
        fenced = FENCE.match(text)
        if fenced:
            text = fenced["text"].strip()
            continue
        for opening, closing in QUOTE_PAIRS:
            # Only quotes around the whole text: not « this » and « that ».
            if (
                len(text) > 1
                and text[0] == opening
                and text[-1] == closing
                and opening not in text[1:-1]
                and closing not in text[1:-1]
            ):
                text = text[1:-1].strip()
                break
        else:
            return text


def _content(response: httpx.Response) -> str:
    """The message of a chat completion answer, or RewriteFailed."""
    status = response.status_code
    if status >= 300:
        logger.warning(
            "language model endpoint answered %s: %s", status, _error_detail(response)
        )
    if status in (401, 403):
        raise RewriteFailed(
            "Le service d'IA refuse la clé d'accès de Parvis. Prévenez "
            "l'administrateur de la plateforme ; en attendant, modifiez la variante à "
            "la main."
        )
    if status == 429:
        raise RewriteFailed(
            "Le service d'IA reçoit trop de demandes. Réessayez dans quelques minutes."
        )
    if status >= 500:
        raise RewriteFailed(
            f"Le service d'IA est en panne (erreur {status}). Réessayez plus tard, ou "
            "modifiez la variante à la main."
        )
    if status >= 300:
        raise RewriteFailed(
            f"Le service d'IA a refusé la demande (erreur {status}). Prévenez "
            "l'administrateur de la plateforme."
        )
    try:
        choice = response.json()["choices"][0]
        content = choice["message"]["content"]
    except (ValueError, KeyError, IndexError, TypeError) as error:
        logger.warning("language model endpoint answered something else than a chat")
        raise RewriteFailed(
            "Le service d'IA a renvoyé une réponse illisible. Réessayez plus tard."
        ) from error
    if not isinstance(content, str) or not content.strip():
        raise RewriteFailed(EMPTY)
    if choice.get("finish_reason") == "length":
        raise RewriteFailed(
            "La proposition de l'IA a été coupée avant la fin. Réessayez."
        )
    return content


def _error_detail(response: httpx.Response) -> str:
    """The provider's error message, for the log (some repeat part of the key)."""
    try:
        body: Any = response.json()
        detail = str(body["error"]["message"])
    except (ValueError, KeyError, TypeError):
        detail = response.text
    if settings.LLM_API_KEY:
        detail = detail.replace(settings.LLM_API_KEY, "[clé]")
    return detail[:300]

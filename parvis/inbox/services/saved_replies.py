"""Saved replies (réponses types) and their variables. A saved reply's text may name
{auteur}, {service}, {delai}, {numero} and {collectivite}; they are filled for the
message answered by plain substitution of `{name}` (no attribute access, no format
specifications), and a text naming any other variable is refused when it is saved."""

import re
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone

from parvis.inbox.models import Message, SavedReply
from parvis.inbox.services.intake import receipt_number
from parvis.system.services import audit_record

VARIABLES = {
    "auteur": "le nom de l'auteur du message (ou « Madame, Monsieur »)",
    "service": "le service qui traite le message",
    "delai": "la date limite de traitement",
    "numero": "le numéro de suivi donné au citoyen (formulaire, Open311)",
    "collectivite": "le nom de la collectivité",
}
VARIABLE = re.compile(r"\{([^{}]*)\}")


def unknown_variables(text: str) -> list[str]:
    """The `{names}` of `text` that are not variables, in order, once each."""
    found = [name for name in VARIABLE.findall(text) if name not in VARIABLES]
    return list(dict.fromkeys(found))


def saved_reply_render(*, text: str, message: Message) -> str:
    """`text` with its variables filled for `message`. Only `{name}` of VARIABLES
    is replaced (no attribute access, no format specs); anything else stays as is."""
    values = variable_values(message)
    return VARIABLE.sub(lambda match: values.get(match.group(1), match.group(0)), text)


def variable_values(message: Message) -> dict[str, str]:
    from zoneinfo import ZoneInfo

    authority = message.authority
    due = message.due_at
    return {
        "auteur": message.author_name or message.author_handle or "Madame, Monsieur",
        "service": message.service.name if message.service else "nos services",
        "delai": (
            f"le {timezone.localtime(due, ZoneInfo(authority.timezone)):%d/%m/%Y}"
            if due
            else "dans les meilleurs délais"
        ),
        "numero": receipt_number(message.public_id),
        "collectivite": authority.name,
    }


def saved_reply_save(
    *, authority: Any, actor: Any, fields: dict[str, Any], saved_reply: Any = None
) -> SavedReply:
    """Create or change a saved reply; a text naming an unknown variable is refused."""
    if unknown := unknown_variables(fields.get("text", "")):
        raise ValidationError(_unknown_message(unknown))
    creating = saved_reply is None
    saved_reply = saved_reply or SavedReply(authority=authority)
    for name, value in fields.items():
        setattr(saved_reply, name, value)
    saved_reply.save()
    audit_record(
        actor=actor,
        authority=authority,
        action="saved_reply.create" if creating else "saved_reply.update",
        summary=f"Réponse type « {saved_reply.title} » "
        f"{'créée' if creating else 'modifiée'}",
        target=saved_reply,
    )
    return saved_reply


def saved_reply_delete(*, saved_reply: SavedReply, actor: Any) -> None:
    audit_record(
        actor=actor,
        authority=saved_reply.authority,
        action="saved_reply.delete",
        summary=f"Réponse type « {saved_reply.title} » supprimée",
        target=saved_reply,
    )
    saved_reply.delete()


def _unknown_message(unknown: list[str]) -> str:
    names = ", ".join(f"{{{name}}}" for name in unknown)
    known = ", ".join(f"{{{name}}}" for name in VARIABLES)
    return (
        f"Variable inconnue : {names}. Variables possibles : {known}."
        if len(unknown) == 1
        else f"Variables inconnues : {names}. Variables possibles : {known}."
    )

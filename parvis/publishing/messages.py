"""What a network's refusal means, in French, for the people who wrote the post."""

from typing import Any

from django.utils.translation import gettext as _

from parvis.connectors.errors import (
    AuthExpired,
    ConnectorError,
    RateLimited,
    Rejected,
    Unavailable,
    Unsupported,
)


def french_explanation(error: ConnectorError, *, channel: Any) -> str:
    network = channel.get_network_display()
    detail = f" ({error.message})" if error.message else ""
    if isinstance(error, AuthExpired):
        return _(
            "La connexion au compte %(network)s %(handle)s a expiré ou a été révoquée : "
            "reconnectez-le dans « Canaux », puis relancez la publication."
        ) % {"network": network, "handle": channel.handle}
    if isinstance(error, RateLimited):
        return _(
            "%(network)s limite le nombre de publications : nouvel essai automatique "
            "dans %(seconds)d secondes."
        ) % {"network": network, "seconds": int(error.retry_after or 60)}
    if isinstance(error, Rejected):
        return _(
            "%(network)s a refusé la publication. Réponse du réseau : « %(msg)s »."
        ) % {
            "network": network,
            "msg": error.message or _("aucune précision"),
        }
    if isinstance(error, Unavailable) and error.maybe_sent:
        return _(
            "%(network)s n'a pas confirmé la publication à temps : Parvis vérifie sur le "
            "compte si elle a bien été publiée avant tout nouvel essai."
        ) % {"network": network}
    if isinstance(error, Unavailable):
        return _(
            "%(network)s ne répond pas pour le moment%(detail)s : nouvel essai automatique."
        ) % {"network": network, "detail": detail}
    if isinstance(error, Unsupported):
        return _("%(network)s ne permet pas cette publication%(detail)s.") % {
            "network": network,
            "detail": detail,
        }
    return _("Erreur de %(network)s%(detail)s.") % {
        "network": network,
        "detail": detail,
    }

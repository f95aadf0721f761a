"""Roles of a member in an authority, and what each may do."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    EDITOR = "editor", _("Rédaction (chargé·e de communication)")
    VALIDATOR = "validator", _("Validation (direction de la communication, DGS)")
    ELECTED = "elected", _("Élu·e")
    AGENT = "agent", _("Agent d'un service")
    ADMIN = "admin", _("Administration de la collectivité")


# Roles allowed to change the authority's settings, members and reference lists.
MANAGE_ROLES = frozenset({Role.ADMIN})
# Roles that write posts, and keep the studio's partner accounts.
WRITE_ROLES = frozenset({Role.EDITOR, Role.VALIDATOR, Role.ADMIN})
# Roles that see the audit log.
AUDIT_ROLES = frozenset({Role.ADMIN, Role.VALIDATOR})
ALL_ROLES = frozenset(Role)

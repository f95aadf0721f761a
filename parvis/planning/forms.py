from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from parvis.accounts.roles import Role
from parvis.planning.models import ApprovalPolicy

# Agents answer citizens' messages; they are not part of the approval circuit.
APPROVER_ROLES = [(role.value, role.label) for role in Role if role != Role.AGENT]


class ApprovalPolicyForm(forms.Form):
    levels = forms.TypedChoiceField(
        label=_("Niveaux de validation"),
        choices=ApprovalPolicy.Levels.choices,
        coerce=int,
        widget=forms.RadioSelect,
    )
    first_level_roles = forms.MultipleChoiceField(
        label=_("Qui valide le premier niveau"),
        choices=APPROVER_ROLES,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("L'administration de la collectivité peut toujours valider."),
    )
    second_level_roles = forms.MultipleChoiceField(
        label=_("Qui valide le second niveau (si deux niveaux)"),
        choices=APPROVER_ROLES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("levels") == 2 and not data.get("second_level_roles"):
            self.add_error(
                "second_level_roles",
                _("Choisissez au moins un rôle pour le second niveau."),
            )
        return data


class ReviewCommentForm(forms.Form):
    comment = forms.CharField(required=False, max_length=2000)

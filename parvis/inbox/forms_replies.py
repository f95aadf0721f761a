"""Forms of the answers: a reply, a refusal, a saved reply."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from parvis.inbox.models import SavedReply
from parvis.inbox.services.saved_replies import VARIABLES, unknown_variables
from parvis.territory.vocabularies import Intent, Topic


def variables_help() -> str:
    names = ", ".join(f"{{{name}}} ({words})" for name, words in VARIABLES.items())
    return str(_("Variables possibles : %(names)s.")) % {"names": names}


class ReplyForm(forms.Form):
    text = forms.CharField(
        label=_("Votre réponse"),
        widget=forms.Textarea(attrs={"rows": 6, "maxlength": 10_000}),
        max_length=10_000,
    )
    saved_reply = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, saved_replies: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.saved_replies = {reply.pk: reply for reply in saved_replies}

    def clean_saved_reply(self) -> SavedReply | None:
        chosen = self.cleaned_data.get("saved_reply")
        if chosen is None:
            return None
        if chosen not in self.saved_replies:
            raise forms.ValidationError(_("Cette réponse type n'existe plus."))
        return self.saved_replies[chosen]


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Motif du refus"),
        help_text=_("L'auteur de la réponse le lira."),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class SavedReplyForm(forms.ModelForm):
    class Meta:
        model = SavedReply
        fields = ["title", "text", "topic", "intent", "needs_approval"]
        widgets = {"text": forms.Textarea(attrs={"rows": 8})}
        help_texts = {
            "topic": _("Proposée d'abord pour les messages de ce domaine."),
            "intent": _("Proposée d'abord pour les messages de cette intention."),
            "needs_approval": _(
                "Une réponse sensible (un refus, un point juridique) attend qu'un "
                "validateur l'accepte avant de partir."
            ),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["text"].help_text = variables_help()
        topic = self.fields["topic"]
        topic.choices = [("", _("Tous les domaines")), *Topic.choices]  # type: ignore[attr-defined]
        self.fields["intent"].choices = [  # type: ignore[attr-defined]
            ("", _("Toutes les intentions")),
            *Intent.choices,
        ]

    def clean_text(self) -> str:
        text = self.cleaned_data["text"]
        if unknown := unknown_variables(text):
            names = ", ".join(f"{{{name}}}" for name in unknown)
            raise forms.ValidationError(
                _(
                    "Variable inconnue : %(names)s. Seules celles listées sous le champ "
                    "sont remplies."
                )
                % {"names": names}
            )
        return text

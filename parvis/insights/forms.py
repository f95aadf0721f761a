"""Forms of the insights."""

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

MAX_OBSERVATORY_BYTES = 4 * 1024 * 1024 * 1024


class ObservatoryImportForm(forms.Form):
    file = forms.FileField(
        label=_("Fichier de l'observatoire (CSV UTF-8)"),
        help_text=_(
            "Colonnes : authority_kind, authority_code, record (account, post, "
            "article), network, url, date, text, sponsored, reach, followers."
        ),
    )

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        if (upload.size or 0) > MAX_OBSERVATORY_BYTES:
            raise ValidationError(_("Le fichier dépasse 4 Go."))
        head = upload.read(4096)
        upload.seek(0)
        first_line = head.split(b"\n", 1)[0].decode("utf-8-sig", "replace").casefold()
        if "authority_kind" not in first_line or "record" not in first_line:
            raise ValidationError(
                _(
                    "La première ligne doit nommer les colonnes, dont "
                    "authority_kind, authority_code et record."
                )
            )
        return upload

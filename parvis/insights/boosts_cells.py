"""Reading the cells of an ad platform's export: the file's encoding, amounts
("1 234,50", "1,234.50", "12,50 €"), counts and dates. Errors are French, for
people: `UnreadableFile` for the whole file, `RowError` for one line."""

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _


class UnreadableFile(Exception):
    """The file as a whole cannot be read (French message for people)."""


class RowError(ValueError):
    """Why one line cannot be read (French)."""


def decode(content: bytes) -> tuple[str, str | None]:
    """The text of the file and, when it was not UTF-8, a French notice."""
    if not content.strip():
        raise UnreadableFile(_("Le fichier est vide."))
    if content.startswith(b"PK\x03\x04") or content.startswith(b"\xd0\xcf\x11\xe0"):
        raise UnreadableFile(
            _(
                "Ce fichier est un classeur Excel, pas un CSV : exportez le rapport "
                "au format CSV (ou enregistrez-le « CSV UTF-8 » dans Excel)."
            )
        )
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        return content.decode("utf-16"), None
    if content.startswith(b"\xef\xbb\xbf"):
        try:
            return content[3:].decode("utf-8"), None
        except UnicodeDecodeError as error:
            raise UnreadableFile(_("Encodage du fichier illisible.")) from error
    if b"\x00" in content[:200]:  # UTF-16 without its BOM
        even = content[0:200:2].count(0)
        encoding = "utf-16-be" if even > content[1:200:2].count(0) else "utf-16-le"
        try:
            return content.decode(encoding), None
        except UnicodeDecodeError as error:
            raise UnreadableFile(_("Encodage du fichier illisible.")) from error
    try:
        return content.decode("utf-8"), None
    except UnicodeDecodeError:
        pass
    try:
        text = content.decode("cp1252")
    except UnicodeDecodeError as error:
        raise UnreadableFile(
            _(
                "Encodage du fichier illisible : enregistrez-le au format "
                "« CSV UTF-8 » puis déposez-le à nouveau."
            )
        ) from error
    return text, _(
        "Fichier lu en Windows-1252 (encodage d'Excel) : vérifiez les accents des "
        "noms importés."
    )


EMPTY = {"", "-", "--", "—", "n/a", "n. d."}
SPACES = re.compile(r"[\s\u00a0\u202f€$£]|EUR", re.IGNORECASE)
GROUPED = re.compile(r"\d{1,3}([.,]\d{3})+")


def _number(text: str, *, what: str) -> Decimal | None:
    """The number written in `text` (None when empty), whatever its separators."""
    raw = text
    text = SPACES.sub("", text)
    if text.casefold() in EMPTY:
        return None
    if "," in text and "." in text:
        decimal_mark = "," if text.rfind(",") > text.rfind(".") else "."
        thousands = "." if decimal_mark == "," else ","
        text = text.replace(thousands, "").replace(decimal_mark, ".")
    elif "," in text:
        # "1,234" is an English thousand; "12,50" or "1234,5" a French decimal.
        text = (
            text.replace(",", "") if GROUPED.fullmatch(text) else text.replace(",", ".")
        )
    try:
        number = Decimal(text)
    except (InvalidOperation, ValueError) as error:
        raise RowError(
            _("%(what)s illisible « %(raw)s ».") % {"what": what, "raw": raw}
        ) from error
    if not number.is_finite():
        raise RowError(
            _("%(what)s illisible « %(raw)s ».") % {"what": what, "raw": raw}
        )
    return number


def parse_amount(text: str, *, what: str) -> Decimal | None:
    amount = _number(text, what=what)
    if amount is not None and amount < 0:
        raise RowError(_("%(what)s négatif « %(raw)s ».") % {"what": what, "raw": text})
    return None if amount is None else amount.quantize(Decimal("0.01"))


def parse_count(text: str, *, what: str) -> int | None:
    if GROUPED.fullmatch(SPACES.sub("", text)) and "." in text and "," not in text:
        text = text.replace(".", "")  # "12.345": a thousand separator, not decimals
    number = _number(text, what=what)
    if number is None:
        return None
    if number < 0 or number != number.to_integral_value():
        raise RowError(
            _("%(what)s doit être un nombre entier positif (« %(raw)s »).")
            % {"what": what, "raw": text}
        )
    return int(number)


def parse_date(text: str, *, month_first: bool, what: str) -> dt.date | None:
    """ISO dates (2026-05-20, with or without a time), else day first (20/05/2026),
    or month first for LinkedIn (5/20/2026)."""
    text = text.strip()
    if not text:
        return None
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}([ T].*)?", text):
            return dt.date.fromisoformat(text[:10])
        found = re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", text)
        if found:
            first, second, year = (int(part) for part in found.groups())
            month, day = (first, second) if month_first else (second, first)
            return dt.date(year, month, day)
    except ValueError:
        pass
    raise RowError(
        _(
            "date de %(what)s illisible « %(raw)s » (attendu : 2026-05-20 ou 20/05/2026)."
        )
        % {"what": what, "raw": text}
    )

"""Personal data in what citizens write, found and masked for displays and exports.

What is masked, and how:

- telephone numbers in French formats ("06 12 34 56 78", "06.12.34.56.78",
  "0612345678", "+33 6 12 34 56 78", "+33 (0)6…", "0033 6…") -> "[téléphone]";
  short public numbers (15, 17, 18, 112, 3939) are kept;
- e-mail addresses -> "[e-mail]";
- bank account numbers (IBAN, "FR76 3000 6000 0112 3456 7890 189", with or without
  spaces, any country) -> "[IBAN]";
- private addresses: a house number before a street ("12 rue des Lilas",
  "3 bis, allée des Tilleuls", "n° 8 avenue Foch") designates one building, most often
  the author's home or a neighbour's, so the number is masked ("[n°] rue des Lilas").
  The street itself is kept: it names public space, which the services need to find a
  pothole or a broken street lamp; a street without a number is not an address of
  anyone.

Names of private persons are not detected (no reliable rule for French first names
and surnames without a model); the inbox shows pseudonymous authors instead.
"""

import re
from dataclasses import dataclass

from parvis.nlp.text import EMAIL_RE

PLACEHOLDERS = {
    "phone": "[téléphone]",
    "email": "[e-mail]",
    "iban": "[IBAN]",
    "address": "[n°]",
}

_PHONE_RE = re.compile(
    r"(?<![\w+])(?:(?:\+|00)\s?33[\s.\-]?(?:\(0\)[\s.\-]?)?|0)[1-9]"
    r"(?:[\s.\-]?\d{2}){4}(?![\d])"
)
# Country code, two check digits, then 10 to 30 letters or digits, grouped by four or
# not; at least ten digits, so that a word like "FR2024ABCD…" is not taken for one.
_IBAN_RE = re.compile(
    r"(?<![\w])[A-Z]{2}\d{2}(?:[ \-]?[A-Z0-9]{4}){2,7}(?:[ \-]?[A-Z0-9]{1,3})?(?![\w])",
    re.IGNORECASE,
)
_STREET_TYPES = (
    r"rue|avenue|av\.?|bd|boulevard|boul\.?|place|pl\.|all[ée]e|impasse|imp\.|"
    r"chemin|ch\.|route|rte|quai|cours|square|sq\.|passage|faubourg|fg|"
    r"r[ée]sidence|cit[ée]|lotissement|hameau|sentier|villa|esplanade|promenade|"
    r"mail|parvis|voie|venelle|ruelle|clos|domaine|lieu-dit|rond-point"
)
_ADDRESS_RE = re.compile(
    rf"(?<![\w,.])(?:n°\s?|no\s)?(?P<number>\d{{1,4}}(?:\s?(?:bis|ter|quater|[a-d])\b)?)"
    rf",?\s+(?=(?:{_STREET_TYPES})\s+[\w'’])",
    re.IGNORECASE,
)

# "en 2024 rue barrée": a year, not a house number (no house numbers above 1899 are
# taken, a small loss against many years in messages).
_YEAR_RE = re.compile(r"(?:19|20)\d\d")


@dataclass(frozen=True)
class PersonalDatum:
    kind: str  # phone, email, iban, address
    start: int
    end: int


def find(text: str) -> list[PersonalDatum]:
    """Every piece of personal data in `text`, in order and without overlaps (for an
    address, the span is the house number only)."""
    found: list[PersonalDatum] = []
    for match in EMAIL_RE.finditer(text):
        found.append(PersonalDatum("email", *match.span()))
    for match in _IBAN_RE.finditer(text):
        if sum(character.isdigit() for character in match.group()) >= 10:
            found.append(PersonalDatum("iban", *match.span()))
    for match in _PHONE_RE.finditer(text):
        found.append(PersonalDatum("phone", *match.span()))
    for match in _ADDRESS_RE.finditer(text):
        if not _YEAR_RE.fullmatch(match.group("number")):
            found.append(PersonalDatum("address", match.start(), match.end("number")))
    found.sort(key=lambda datum: (datum.start, -datum.end))
    result: list[PersonalDatum] = []
    for datum in found:
        if result and datum.start < result[-1].end:
            continue  # inside an e-mail address or an IBAN already found
        result.append(datum)
    return result


def mask(text: str) -> str:
    """`text` with telephone numbers, e-mail addresses, IBANs and house numbers of
    addresses replaced by placeholders (see the module docstring)."""
    data = find(text)
    if not data:
        return text
    pieces = []
    position = 0
    for datum in data:
        pieces += [text[position : datum.start], PLACEHOLDERS[datum.kind]]
        position = datum.end
    pieces.append(text[position:])
    return "".join(pieces)

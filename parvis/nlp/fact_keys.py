"""Normal forms of facts, so that two writings of one fact compare equal:
"3 mars 2027" and "03/03/2027" -> "2027-03-03", "15,00 €" -> "15",
"+33 (0)5 99 00 00 00" -> "0599000000", a URL without its tracking parameters.
"""

import re
from decimal import Decimal, InvalidOperation
from urllib.parse import parse_qsl, urlencode, urlsplit

MONTHS = {
    "janvier": 1, "janv": 1, "février": 2, "fevrier": 2, "févr": 2, "fevr": 2,
    "fév": 2, "fev": 2, "mars": 3, "avril": 4, "avr": 4, "mai": 5, "juin": 6,
    "juillet": 7, "juil": 7, "août": 8, "aout": 8, "septembre": 9, "sept": 9,
    "octobre": 10, "oct": 10, "novembre": 11, "nov": 11, "décembre": 12,
    "decembre": 12, "déc": 12, "dec": 12,
}  # fmt: skip
DAYS_IN_MONTH = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
TRACKING_PARAMETERS = frozenset(
    ["fbclid", "gclid", "mc_cid", "mc_eid", "xtor", "igshid"]
)
SCALES = {"k": 1_000, "m": 1_000_000, "million": 1_000_000, "millions": 1_000_000}
SCALES |= {"md": 10**9, "mds": 10**9, "milliard": 10**9, "milliards": 10**9}


def date_key(year: str, month: str, day: str) -> str:
    """An ISO date ("2027-03-03"), "--03-03" without a year, "" if impossible."""
    month_number, day_number = int(month), int(day)
    if not 1 <= month_number <= 12 or not 1 <= day_number <= 31:
        return ""
    if day_number > DAYS_IN_MONTH[month_number - 1]:
        return ""
    if year:
        full_year = int(year) + 2000 if len(year) == 2 else int(year)
        return f"{full_year:04d}-{month_number:02d}-{day_number:02d}"
    return f"--{month_number:02d}-{day_number:02d}"


def number_key(number: str, scale: str) -> str:
    """A French number as a plain decimal: "1 500,50" -> "1500.5", and "2,5" with
    the scale "millions" -> "2500000"."""
    digits = re.sub(r"[ \u00a0\u202f]", "", number)
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+", digits):
        digits = digits.replace(".", "")  # a dot between thousands, "1.500 €"
    digits = digits.replace(",", ".")
    try:
        value = Decimal(digits) * SCALES.get(scale.lower(), 1)
    except InvalidOperation:
        return ""
    return format(value.normalize(), "f")


def phone_key(number: str) -> str:
    """A French phone number as ten digits: "+33 (0)5 99 00 00 00" -> "0599000000"."""
    digits = re.sub(r"\D", "", number.replace("(0)", ""))
    if number.lstrip().startswith(("+", "00")):
        digits = "0" + digits.removeprefix("00").removeprefix("33")
    return digits


def url_key(url: str) -> str:
    """A URL without scheme, "www.", fragment, trailing slash or tracking parameters."""
    url = url.rstrip(".,;:!?)»")
    if "://" not in url:
        url = "https://" + url
    parts = urlsplit(url)
    host = parts.netloc.lower().removeprefix("www.")
    query = sorted(
        (name, value)
        for name, value in parse_qsl(parts.query, keep_blank_values=True)
        if not name.lower().startswith("utm_")
        and name.lower() not in TRACKING_PARAMETERS
    )
    path = parts.path.rstrip("/")
    return host + path + (f"?{urlencode(query)}" if query else "")

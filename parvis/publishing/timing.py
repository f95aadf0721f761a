"""Local wall-clock times of an authority <-> aware UTC instants, DST-safe."""

import datetime as dt
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def local_to_utc(local: dt.datetime, timezone_name: str) -> dt.datetime:
    """The UTC instant of a wall-clock time in `timezone_name`.

    A time skipped by the spring change (e.g. 02:30 on the last Sunday of March in
    Paris) does not exist: refused with a French message. A time that happens twice
    (autumn change) means its first occurrence (summer time)."""
    if local.tzinfo is not None:
        return local.astimezone(dt.UTC)
    zone = ZoneInfo(timezone_name)
    first = local.replace(tzinfo=zone, fold=0)
    # A nonexistent time does not survive the round trip through UTC.
    if first.astimezone(dt.UTC).astimezone(zone).replace(tzinfo=None) != local:
        raise ValidationError(
            _(
                "%(time)s n'existe pas le %(date)s à cause du passage à l'heure d'été : "
                "choisissez une heure avant 2 h ou à partir de 3 h."
            )
            % {"time": local.strftime("%H:%M"), "date": local.strftime("%d/%m/%Y")}
        )
    return first.astimezone(dt.UTC)


def utc_to_local(instant: dt.datetime, timezone_name: str) -> dt.datetime:
    return instant.astimezone(ZoneInfo(timezone_name))

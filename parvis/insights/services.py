"""Writes of the insights: observatory files given to the barometer."""

import logging
from pathlib import Path
from typing import Any

from django.core.cache import cache
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from parvis.insights.barometer_input import InputError, read_barometer_file
from parvis.insights.barometer_peers import commune_populations
from parvis.insights.models import ObservatoryImport, ObservedAuthority
from parvis.insights.selectors import CACHE_KEY

logger = logging.getLogger(__name__)


def observatory_import_create(*, upload: UploadedFile, actor: Any) -> ObservatoryImport:
    """Keep the file and have the worker read it (a large file takes minutes)."""
    from parvis.insights.tasks import read_observatory_import

    observatory_import = ObservatoryImport.objects.create(
        file_name=(upload.name or "observatoire.csv")[:300],
        created_by=actor,
    )
    observatory_import.file.save(
        f"observatoire-{observatory_import.pk}.csv", upload, save=True
    )
    transaction.on_commit(
        lambda: read_observatory_import.enqueue(observatory_import.pk)
    )
    return observatory_import


def observatory_import_read(*, observatory_import: ObservatoryImport) -> None:
    """Read the file into the indicators of its authorities; the file is deleted
    afterwards (only the indicators are kept). Safe to run twice: a finished import
    (or being read) is left alone."""
    claimed = ObservatoryImport.objects.filter(
        pk=observatory_import.pk, state=ObservatoryImport.State.PENDING
    ).update(state=ObservatoryImport.State.RUNNING)
    if not claimed:
        return  # another worker reads it, or it was read
    observatory_import.state = ObservatoryImport.State.RUNNING
    if not observatory_import.file:
        _fail(observatory_import, "Le fichier n'est plus disponible.")
        return
    try:
        _read_and_store(observatory_import)
    except Exception:
        # Whatever happens after the claim, the import ends failed, never "running".
        logger.exception("observatory import %s failed", observatory_import.pk)
        _fail(observatory_import, "Le fichier n'a pas pu être lu (format CSV ?).")


def _read_and_store(observatory_import: ObservatoryImport) -> None:
    path = Path(observatory_import.file.path)
    try:
        reading = read_barometer_file(path, commune_populations(), workers=1)
    except InputError as error:
        _fail(observatory_import, error.french)
        return
    except UnicodeDecodeError:
        _fail(
            observatory_import,
            "Le fichier n'est pas encodé en UTF-8 : enregistrez-le au format "
            "« CSV UTF-8 » puis déposez-le à nouveau.",
        )
        return
    with transaction.atomic():
        ObservedAuthority.objects.bulk_create(
            (
                ObservedAuthority(
                    observatory_import=observatory_import,
                    kind=item.kind,
                    code=item.code,
                    band=item.band,
                    present=sorted(item.present),
                    posts=item.posts,
                    republished_posts=item.republished_posts,
                    sponsors=item.sponsors,
                    organic_reach_rate=item.organic_reach_rate,
                )
                for item in reading.indicators
            ),
            batch_size=2000,
        )
        observatory_import.rows = reading.rows
        observatory_import.rejected = reading.rejected
        observatory_import.problems = reading.problems
        observatory_import.state = (
            ObservatoryImport.State.DONE
            if reading.indicators
            else ObservatoryImport.State.FAILED
        )
        if not reading.indicators:
            observatory_import.error = "Le fichier ne décrit aucune collectivité."
        observatory_import.finished_at = timezone.now()
        observatory_import.save()
    observatory_import.file.delete(save=True)
    cache.delete(CACHE_KEY)


def _fail(observatory_import: ObservatoryImport, error: str) -> None:
    observatory_import.state = ObservatoryImport.State.FAILED
    observatory_import.error = error
    observatory_import.finished_at = timezone.now()
    observatory_import.save(update_fields=["state", "error", "finished_at"])
    if observatory_import.file:
        observatory_import.file.delete(save=True)

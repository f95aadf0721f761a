"""The public archive: our own copy of everything the authority published (what
public communication law asks to keep), written when a publication goes out.

The entry is a copy, not a reference: the text as it was sent, the image copied
into the archive's own file, the channel's name in words. Later edits of the post
or its variant, a deleted image, a disconnected channel change nothing in it. A
publication withdrawn from the network stays in the archive, marked withdrawn."""

import logging
import posixpath

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from parvis.publishing.models import ArchiveEntry, Publication
from parvis.studio.models import Variant

logger = logging.getLogger(__name__)


def archive_record(*, publication: Publication) -> ArchiveEntry:
    """The archive entry of a publication that has just gone out, created once (a
    second call, a second reconciliation, returns the first entry). Called by the
    engine in the transaction that marks the publication published."""
    existing = ArchiveEntry.objects.filter(publication=publication).first()
    if existing is not None:
        return existing
    variant = Variant.objects.select_related("post", "post__campaign").get(
        pk=publication.variant_id
    )
    post = variant.post
    channel = publication.channel
    entry = ArchiveEntry(
        authority_id=publication.authority_id,
        publication=publication,
        network=channel.network,
        channel_name=str(channel)[:200],
        title=post.title,
        parts=list(variant.parts),
        link=variant.link,
        image_alt=variant.image_alt,
        remote_url=publication.remote_url,
        campaign_name=post.campaign.name if post.campaign else "",
        published_at=publication.published_at or timezone.now(),
    )
    _copy_image(variant, entry)
    try:
        with transaction.atomic():
            entry.save()
    except IntegrityError:
        # Another worker archived it between our read and our write.
        if entry.image:
            entry.image.delete(save=False)
        return ArchiveEntry.objects.get(publication=publication)
    return entry


def archive_mark_withdrawn(*, publication: Publication) -> None:
    """The publication was deleted from the network: the archive keeps it, dated."""
    ArchiveEntry.objects.filter(
        publication=publication, withdrawn_at__isnull=True
    ).update(withdrawn_at=timezone.now())


def _copy_image(variant: Variant, entry: ArchiveEntry) -> None:
    """Copy the variant's image into the archive's own file. A missing or unreadable
    file must not stop the publication from being recorded: the entry is kept
    without its image and the problem logged."""
    if not variant.image:
        return
    try:
        with variant.image.open("rb") as handle:
            content = handle.read()
    except (OSError, ValueError):
        logger.warning(
            "archive: image %s of variant %s unreadable; archived without it",
            variant.image.name,
            variant.pk,
        )
        return
    name = posixpath.basename(variant.image.name or "") or "image"
    entry.image.save(name, ContentFile(content), save=False)

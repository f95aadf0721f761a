"""A consultation's analysis, stored: themes of its published contributions and the
opinion groups of its votes.

Themes are found once (`clustering.cluster_texts`) and then stay: later analyses
assign only the new contributions — a near-duplicate of a known idea joins it as a
supporter, another joins the nearest theme when similar enough (each theme keeps its
centroid, in the sentence encoder's space, and its threshold), else it is "other".
Numbers and names never change behind the team's back; the team renames and merges
themes, or asks for a full new grouping (`recluster`), which replaces the themes.

Opinion groups are recomputed from all the votes each time (`opinions.py`: seconds
for 10,000 participants); the stored summary has sizes, representative and consensus
statements, never who is in which group.
"""

import datetime as dt
from typing import Any

import numpy as np
from django.db import transaction
from django.utils import timezone

from parvis.participation.clustering import (
    OTHER,
    EncoderEmbedder,
    cluster_texts,
    find_duplicates,
)
from parvis.participation.models import Consultation, Contribution, Theme, Vote
from parvis.participation.opinions import analyse_opinions

MIN_CONTRIBUTIONS = 10  # fewer: no themes yet, nothing to group


def consultation_analyse(
    *,
    consultation: Consultation,
    recluster: bool = False,
    now: dt.datetime | None = None,
) -> dict[str, Any]:
    """Analyse the consultation and store the result; returns the stored summary."""
    accepted = list(
        Contribution.objects.filter(
            consultation=consultation, status=Contribution.Status.ACCEPTED
        ).order_by("created_at", "id")
    )
    themes = list(consultation.themes.filter(merged_into__isnull=True))
    if len(accepted) >= MIN_CONTRIBUTIONS:
        if recluster or not themes:
            _cluster_all(consultation, accepted)
        else:
            _assign_new(accepted, themes)
    summary = {
        "contributions": len(accepted),
        "themes_note": ""
        if len(accepted) >= MIN_CONTRIBUTIONS
        else f"fewer than {MIN_CONTRIBUTIONS} published contributions",
        "opinions": _opinions(consultation),
    }
    consultation.analysis = summary
    consultation.analysed_at = now or timezone.now()
    consultation.save(update_fields=["analysis", "analysed_at"])
    return summary


def _cluster_all(consultation: Consultation, accepted: list[Contribution]) -> None:
    clustering = cluster_texts([contribution.text for contribution in accepted])
    with transaction.atomic():
        consultation.themes.all().delete()
        rows = {
            theme_id: Theme.objects.create(
                consultation=consultation,
                number=theme_id + 1,
                label=theme.label,
                lemmas=list(theme.lemmas),
                centroid=theme.centroid.astype(np.float32).tobytes(),
                min_similarity=float(theme.min_similarity),
                representatives=[accepted[i].pk for i in theme.representatives],
            )
            for theme_id, theme in clustering.themes.items()
        }
        for index, contribution in enumerate(accepted):
            first = clustering.duplicate_of[index]
            assigned = clustering.assignments[index]
            contribution.duplicate_of = accepted[first] if first != index else None
            contribution.theme = rows.get(assigned) if assigned != OTHER else None
            contribution.analysed = True
        Contribution.objects.bulk_update(
            accepted, ["duplicate_of", "theme", "analysed"], batch_size=500
        )


def _assign_new(accepted: list[Contribution], themes: list[Theme]) -> None:
    known = [contribution for contribution in accepted if contribution.analysed]
    new = [contribution for contribution in accepted if not contribution.analysed]
    if not new:
        return
    everyone = known + new
    duplicate_of = find_duplicates([contribution.text for contribution in everyone])
    fresh = [
        index
        for index in range(len(known), len(everyone))
        if duplicate_of[index] == index
    ]
    theme_of: dict[int, Theme | None] = {}
    if fresh:
        vectors = EncoderEmbedder().transform([everyone[i].text for i in fresh])
        centroids = np.stack(
            [
                np.frombuffer(bytes(theme.centroid or b""), dtype=np.float32)
                for theme in themes
            ]
        )
        similarities = vectors @ centroids.T
        for row, index in enumerate(fresh):
            best = int(np.argmax(similarities[row]))
            good = similarities[row, best] >= themes[best].min_similarity
            theme_of[index] = themes[best] if good else None
    # A theme merged meanwhile (by the team, during this analysis) hands its new
    # contributions to the theme it joined.
    merged = dict(
        Theme.objects.filter(
            pk__in=[theme.pk for theme in themes], merged_into__isnull=False
        ).values_list("pk", "merged_into")
    )
    if merged:
        targets = Theme.objects.in_bulk(list(merged.values()))
        theme_of = {
            index: targets.get(merged[theme.pk], theme)
            if theme is not None and theme.pk in merged
            else theme
            for index, theme in theme_of.items()
        }
    for index in range(len(known), len(everyone)):
        contribution = everyone[index]
        first = duplicate_of[index]
        if first != index:
            contribution.duplicate_of = everyone[first]
            contribution.theme = (
                everyone[first].theme if first < len(known) else theme_of.get(first)
            )
        else:
            contribution.theme = theme_of.get(index)
        contribution.analysed = True
    Contribution.objects.bulk_update(
        new, ["duplicate_of", "theme", "analysed"], batch_size=500
    )


def _opinions(consultation: Consultation) -> dict[str, Any]:
    votes = Vote.objects.filter(statement__consultation=consultation).values_list(
        "participant_id", "statement_id", "value"
    )
    result = analyse_opinions(
        (str(participant), str(statement), int(value))
        for participant, statement, value in votes.iterator()
    ).to_json()
    for group in result["groups"]:
        group.pop("members", None)  # who thinks what is not kept
    return result


def theme_rename(*, theme: Theme, actor: Any, label: str) -> None:
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext as _

    from parvis.system.services import audit_record

    label = " ".join(label.split())[:150]
    if not label:
        raise ValidationError(_("Donnez un nom au thème."))
    before = theme.label
    theme.label, theme.renamed = label, True
    theme.save(update_fields=["label", "renamed"])
    audit_record(
        actor=actor,
        action="participation.theme_renamed",
        summary=_("Thème « %(before)s » renommé « %(after)s »")
        % {"before": before, "after": label},
        authority=theme.consultation.authority,
        target=theme,
    )


def theme_merge(*, theme: Theme, into: Theme, actor: Any) -> None:
    """The contributions of `theme` join `into`; `theme` is kept as merged (its
    number is never given again)."""
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext as _

    from parvis.system.services import audit_record

    if theme.pk == into.pk or theme.consultation_id != into.consultation_id:
        raise ValidationError(_("Choisissez un autre thème de la même consultation."))
    with transaction.atomic():
        Contribution.objects.filter(theme=theme).update(theme=into)
        theme.merged_into = into
        theme.save(update_fields=["merged_into"])
        into.representatives = list(
            dict.fromkeys(into.representatives + theme.representatives)
        )[:5]
        into.save(update_fields=["representatives"])
    audit_record(
        actor=actor,
        action="participation.theme_merged",
        summary=_("Thème « %(theme)s » fusionné dans « %(into)s »")
        % {"theme": theme.label, "into": into.label},
        authority=theme.consultation.authority,
        target=into,
    )


def theme_split(*, theme: Theme, actor: Any) -> list[Theme]:
    """Cut a theme in two to four by grouping its contributions again (the number
    chosen as for the whole consultation). The largest part keeps the theme (and a
    name the team gave it); the others become new themes with new numbers.
    ValidationError when the theme does not divide."""
    from django.core.exceptions import ValidationError
    from django.db.models import Max
    from django.utils.translation import gettext as _

    from parvis.system.services import audit_record

    members = list(
        theme.contributions.filter(
            status=Contribution.Status.ACCEPTED, duplicate_of__isnull=True
        ).order_by("created_at", "id")
    )
    if len(members) < 4:
        raise ValidationError(_("Trop peu de contributions pour diviser ce thème."))
    clustering = cluster_texts(
        [member.text for member in members], max_themes=min(4, len(members) // 2)
    )
    parts = sorted(clustering.themes.values(), key=lambda part: (-part.size, part.id))
    if len(parts) < 2:
        raise ValidationError(
            _("Ce thème ne se divise pas : ses contributions se ressemblent trop.")
        )
    consultation = theme.consultation
    with transaction.atomic():
        number = consultation.themes.aggregate(highest=Max("number"))["highest"] or 0
        rows: dict[int, Theme] = {}
        for position, part in enumerate(parts):
            row = theme if position == 0 else Theme(consultation=consultation)
            if position:
                number += 1
                row.number = number
            if position or not theme.renamed:
                row.label = part.label
            row.lemmas = list(part.lemmas)
            row.centroid = part.centroid.astype(np.float32).tobytes()
            row.min_similarity = float(part.min_similarity)
            row.representatives = [members[i].pk for i in part.representatives]
            row.save()
            rows[part.id] = row
        for index, member in enumerate(members):
            target = rows.get(clustering.assignments[index], theme)
            if target.pk != theme.pk:
                Contribution.objects.filter(pk=member.pk).update(theme=target)
                Contribution.objects.filter(duplicate_of=member).update(theme=target)
    created = [row for row in rows.values() if row.pk != theme.pk]
    audit_record(
        actor=actor,
        action="participation.theme_split",
        summary=_("Thème « %(theme)s » divisé en %(count)s")
        % {"theme": theme.label, "count": len(parts)},
        authority=consultation.authority,
        target=theme,
    )
    return created

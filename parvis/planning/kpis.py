"""The indicators (KPIs) a campaign follows, and which ones fit each objective.

A campaign is measured by what its objective is about, not by one score for all:

- notoriété (being known): how many people saw it and how many started following —
  portée, impressions, abonnés gagnés;
- image (being well thought of): how people responded, and in what tone — taux
  d'engagement, part de réactions positives, partages;
- attractivité (bringing visitors, residents, businesses): who went further, to the
  website — clics vers le site, partages, portée;
- lien social (people talking with the authority and with each other): conversations
  and contributions — commentaires, partages, contributions;
- information de service (everyone concerned knows, and gets an answer): portée,
  clics vers le site, délai de réponse;
- crise (fast, widely relayed, questions answered): délai de publication, portée,
  délai de réponse, partages.

Each objective has default indicators (checked when the objective is chosen) and a
few more it allows; a campaign stores the slugs it follows in `Campaign.kpis`. The
insights compute them from the data each one `needs`: the counters of the
publications (`publishing.MetricSnapshot`), the followers of the channels, the inbox
(response times, sentiment) or participation (contributions). Slugs are stable: they
are stored, never rename one.
"""

from dataclasses import dataclass
from enum import StrEnum

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from parvis.planning.models import Objective


class Source(StrEnum):
    """Where the data of an indicator comes from."""

    METRICS = "metrics"  # counters of each publication (MetricSnapshot)
    CHANNELS = "channels"  # followers of the channels, over time
    PUBLISHING = "publishing"  # when each publication went out
    INBOX = "inbox"  # citizens' messages: replies, sentiment
    PARTICIPATION = "participation"  # contributions to consultations
    ANALYTICS = "analytics"  # the website's visits by utm_campaign (imported CSV)


@dataclass(frozen=True)
class Kpi:
    slug: str
    label: str | Promise
    definition: str | Promise  # one French sentence, shown beside the checkbox
    source: Source
    needs: tuple[str, ...]  # the fields of the source it is computed from


KPIS: dict[str, Kpi] = {
    kpi.slug: kpi
    for kpi in [
        Kpi(
            "portee",
            _("Portée"),
            _("Personnes qui ont vu au moins une publication de la campagne."),
            Source.METRICS,
            ("reach",),
        ),
        Kpi(
            "impressions",
            _("Impressions"),
            _("Affichages des publications, y compris plusieurs fois à une personne."),
            Source.METRICS,
            ("impressions",),
        ),
        Kpi(
            "abonnes_gagnes",
            _("Abonnés gagnés"),
            _("Abonnés gagnés par les canaux de la campagne pendant ses dates."),
            Source.CHANNELS,
            ("followers",),
        ),
        Kpi(
            "taux_engagement",
            _("Taux d'engagement"),
            _(
                "Réactions, commentaires, partages et clics rapportés à la portée "
                "(aux impressions quand le réseau ne donne pas la portée)."
            ),
            Source.METRICS,
            ("reactions", "comments", "shares", "clicks", "reach", "impressions"),
        ),
        Kpi(
            "reactions_positives",
            _("Part de réactions positives"),
            _(
                "Part des réponses des citoyens aux publications (commentaires, "
                "mentions) que la boîte de réception classe positives."
            ),
            Source.INBOX,
            ("sentiment",),
        ),
        Kpi(
            "partages",
            _("Partages"),
            _("Partages, republications et reblogs des publications."),
            Source.METRICS,
            ("shares",),
        ),
        Kpi(
            "clics",
            _("Clics vers le site"),
            _(
                "Clics sur les liens des publications ; le site les retrouve aussi "
                "par leur utm_campaign."
            ),
            Source.METRICS,
            ("clicks",),
        ),
        Kpi(
            "visites_site",
            _("Visites du site"),
            _(
                "Visites du site apportées par les liens de la campagne (leur "
                "utm_campaign), comptées par l'outil de mesure d'audience du site et "
                "importées en CSV."
            ),
            Source.ANALYTICS,
            ("visits",),
        ),
        Kpi(
            "commentaires",
            _("Commentaires"),
            _("Commentaires et réponses reçus sous les publications."),
            Source.METRICS,
            ("comments",),
        ),
        Kpi(
            "contributions",
            _("Contributions"),
            _(
                "Idées et avis déposés dans les concertations de la campagne, sur la "
                "page publique ou en commentaire."
            ),
            Source.PARTICIPATION,
            ("contributions",),
        ),
        Kpi(
            "delai_reponse",
            _("Délai de réponse"),
            _(
                "Temps médian entre un message de citoyen reçu pendant la campagne "
                "et la première réponse de la collectivité."
            ),
            Source.INBOX,
            ("received_at", "first_reply_at"),
        ),
        Kpi(
            "delai_publication",
            _("Délai de publication"),
            _(
                "Temps entre la rédaction d'un message (ou le début de la crise) et "
                "sa mise en ligne sur chaque canal."
            ),
            Source.PUBLISHING,
            ("created_at", "published_at"),
        ),
    ]
}

# objective -> (defaults, further allowed), each in the order they are shown.
BY_OBJECTIVE: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    Objective.NOTORIETE: (
        ("portee", "impressions", "abonnes_gagnes"),
        ("partages", "taux_engagement"),
    ),
    Objective.IMAGE: (
        ("taux_engagement", "reactions_positives", "partages"),
        ("portee", "commentaires"),
    ),
    Objective.ATTRACTIVITE: (
        ("clics", "visites_site", "partages", "portee"),
        ("impressions", "taux_engagement", "abonnes_gagnes"),
    ),
    Objective.LIEN_SOCIAL: (
        ("commentaires", "partages", "contributions"),
        ("taux_engagement", "reactions_positives", "delai_reponse"),
    ),
    Objective.INFORMATION_SERVICE: (
        ("portee", "clics", "delai_reponse"),
        ("impressions", "partages", "commentaires", "visites_site"),
    ),
    Objective.CRISE: (
        ("delai_publication", "portee", "delai_reponse", "partages"),
        ("impressions", "clics", "commentaires"),
    ),
}


def default_kpis(objective: str) -> list[str]:
    """The slugs checked when `objective` is chosen ([] for an unknown one)."""
    defaults, _more = BY_OBJECTIVE.get(objective, ((), ()))
    return list(defaults)


def allowed_kpis(objective: str) -> list[Kpi]:
    """The indicators a campaign of `objective` may follow, defaults first."""
    defaults, more = BY_OBJECTIVE.get(objective, ((), ()))
    return [KPIS[slug] for slug in (*defaults, *more)]


def kpis_outside(objective: str, slugs: list[str]) -> list[str]:
    """The slugs of `slugs` that `objective` does not allow (unknown ones too)."""
    allowed = {kpi.slug for kpi in allowed_kpis(objective)}
    return [slug for slug in slugs if slug not in allowed]


def kpi_label(slug: str) -> str:
    """The French label of a slug; an unknown slug (stored by an older version) is
    shown as it is."""
    kpi = KPIS.get(slug)
    return str(kpi.label) if kpi else slug

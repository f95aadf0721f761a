"""The demo: a real commune from the reference (Saint-Malo, ~47,000 inhabitants), its
real agglomeration, and one user per role. Loaded once by `parvis demo` / `make run`."""

from typing import Any

from django.db import transaction

from parvis.accounts.models import User
from parvis.accounts.roles import Role
from parvis.accounts.services import membership_set
from parvis.territory.models import Authority, Territory
from parvis.territory.services import authority_create, territory_import

DEMO_PASSWORD = "demo-parvis-2026"  # noqa: S105 - printed to the person running the demo
DEMO_COMMUNE_CODE = "35288"  # Saint-Malo

DEMO_USERS = [
    ("admin@parvis.demo", "Camille Administratrice", Role.ADMIN),
    ("redaction@parvis.demo", "Lucas Rédacteur", Role.EDITOR),
    ("validation@parvis.demo", "Inès Directrice de la communication", Role.VALIDATOR),
    ("elu@parvis.demo", "Paul Adjoint au maire", Role.ELECTED),
    ("agent@parvis.demo", "Nadia Agente voirie", Role.AGENT),
]
AGENCY_USER = ("agence@parvis.demo", "Agence Littoral Com")
PLATFORM_USER = ("plateforme@parvis.demo", "Administration de la plateforme")


def demo_logins() -> list[tuple[str, str]]:
    return [
        *[(email, str(Role(role).label)) for email, _, role in DEMO_USERS],
        (AGENCY_USER[0], "Agence : Saint-Malo et son agglomération"),
        (PLATFORM_USER[0], "Administration de l'installation (crée les collectivités)"),
    ]


def _user(email: str, name: str, *, staff: bool = False) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(
            email, DEMO_PASSWORD, full_name=name, is_staff=staff, is_superuser=staff
        )
    return user


@transaction.atomic
def demo_load() -> Authority | None:
    """Create the demo once. Returns the commune, or None if it already existed."""
    if Authority.objects.filter(is_demo=True).exists():
        return None
    if not Territory.objects.filter(kind="commune", code=DEMO_COMMUNE_CODE).exists():
        territory_import()
    commune_territory = Territory.objects.get(kind="commune", code=DEMO_COMMUNE_CODE)
    platform = _user(*PLATFORM_USER, staff=True)
    commune = authority_create(
        territory_id=commune_territory.pk, is_demo=True, creator=platform
    )
    epci_territory = Territory.objects.get(
        kind="epci", code=commune_territory.epci_code
    )
    epci = authority_create(
        territory_id=epci_territory.pk, is_demo=True, creator=platform
    )
    commune.primary_color, commune.on_primary_color = "#00557f", "#ffffff"
    commune.save(update_fields=["primary_color", "on_primary_color"])

    for email, name, role in DEMO_USERS:
        membership_set(
            authority=commune, user=_user(email, name), role=role, actor=platform
        )
    agency = _user(*AGENCY_USER)
    for authority in (commune, epci):
        membership_set(
            authority=authority, user=agency, role=Role.EDITOR, actor=platform
        )
    voirie = next((s for s in commune.services.all() if "voirie" in s.topics), None)
    if voirie is not None:
        voirie.members.add(User.objects.get(email="agent@parvis.demo"))
    _demo_post(commune)
    _demo_planning(commune)
    _demo_inbox(commune)
    _demo_consultation(commune)
    # Last: the demo's (disconnected) accounts, with past publications and their
    # generated figures for the dashboards.
    from parvis.web.demo_measurements import demo_measurements_load

    demo_measurements_load(commune)
    # Peers for the barometer: Brittany's authorities, with generated posts.
    from parvis.insights.demo import demo_observatory_load

    demo_observatory_load()
    return commune


# A demo page written for the demo: not a real announcement of the town (its phone
# number is in a range reserved for fiction, its address on a reserved domain).
DEMO_ARTICLE = {
    "title": "Travaux de la chaussée du Sillon : circulation alternée du 11 au 22 janvier 2027",
    "lead": (
        "Dans le cadre du programme de rénovation de la voirie communale, la Ville "
        "procède à la réfection de la chaussée du Sillon entre la rue Le Pomellec et "
        "l'avenue Pasteur."
    ),
    "text": (
        "Les travaux se dérouleront du lundi 11 janvier au vendredi 22 janvier 2027, "
        "de 8 h à 17 h. Afin de garantir la sécurité des usagers, la circulation sera "
        "alternée par feux tricolores sur la chaussée du Sillon. Le stationnement sera "
        "interdit au droit du chantier. Les lignes de bus 1 et 2 sont maintenues, avec "
        "des retards possibles aux heures de pointe. Les commerces restent accessibles "
        "à pied. Pour toute question, le service Voirie et espaces publics répond au "
        "02 61 91 00 11 du lundi au vendredi de 9 h à 12 h."
    ),
    "url": "https://demo.parvis.example/saint-malo/travaux-chaussee-du-sillon",
}


def _demo_post(commune: Authority) -> None:
    from parvis.studio.services import post_create_blank

    post_create_blank(
        authority=commune,
        actor=User.objects.get(email="redaction@parvis.demo"),
        title=DEMO_ARTICLE["title"],
        lead=DEMO_ARTICLE["lead"],
        text=DEMO_ARTICLE["text"],
        url=DEMO_ARTICLE["url"],
        networks=["facebook", "instagram", "x", "bluesky"],
        audience_ids=list(
            commune.audiences.filter(slug__in=["habitants", "seniors"]).values_list(
                "pk", flat=True
            )
        ),
        campaign_slug="travaux-sillon-2027",
    )


# Further demo pages, written for the demo (not real announcements of the town).
DEMO_PLANNED: list[dict[str, Any]] = [
    {
        "title": "Marché de Noël intra-muros : 60 chalets place Chateaubriand",
        "text": (
            "Le marché de Noël ouvre le samedi 12 décembre place Chateaubriand, avec "
            "60 chalets d'artisans et de producteurs. Il est ouvert tous les jours de "
            "11 h à 20 h jusqu'au 24 décembre. Une navette gratuite relie le parking "
            "Paul Féval à la porte Saint-Vincent toutes les 15 minutes le week-end."
        ),
        "url": "https://demo.parvis.example/saint-malo/marche-de-noel",
        "networks": ["facebook", "instagram", "bluesky"],
        "days": 4,
        "hour": 12,
        "state": "approved",
        "campaign": "noel",
    },
    {
        "title": "Collecte des sapins de Noël du 4 au 15 janvier",
        "text": (
            "Après les fêtes, déposez votre sapin naturel, sans décoration ni sac, dans "
            "l'un des 12 points de collecte de la ville du lundi 4 au vendredi 15 "
            "janvier. Les sapins sont broyés et le broyat est offert aux jardiniers à "
            "la déchèterie. La liste des points de collecte est en ligne."
        ),
        "url": "https://demo.parvis.example/saint-malo/collecte-des-sapins",
        "networks": ["facebook", "x", "bluesky"],
        "days": 9,
        "hour": 18,
        "state": "in_review",
        "campaign": "noel",
    },
    {
        "title": "Conseil municipal du lundi 14 décembre à 18 h 30",
        "text": (
            "Le conseil municipal se réunit le lundi 14 décembre à 18 h 30 à l'hôtel "
            "de ville. La séance est publique et retransmise en direct sur le site de "
            "la ville. L'ordre du jour comprend le budget primitif 2027 et la "
            "tarification des services périscolaires."
        ),
        "url": "https://demo.parvis.example/saint-malo/conseil-municipal",
        "networks": ["facebook", "x", "linkedin"],
        "days": 15,
        "hour": 10,
        "state": "draft",
        "campaign": "",
    },
]


def _demo_planning(commune: Authority) -> None:
    """A campaign and a few posts planned over the next weeks, in the states of
    the circuit, so that the calendar and the dashboard have something to show."""
    import datetime as dt

    from django.utils import timezone

    from parvis.planning.services import (
        campaign_save,
        post_approve,
        post_plan,
        post_set_campaign,
        post_submit_for_review,
    )
    from parvis.publishing.timing import local_to_utc
    from parvis.studio.services import post_create_blank

    editor = User.objects.get(email="redaction@parvis.demo")
    validator = User.objects.get(email="validation@parvis.demo")
    today = timezone.localdate()
    campaign = campaign_save(
        authority=commune,
        actor=editor,
        values={
            "name": "Noël à Saint-Malo",
            "slug": "noel",
            "objective": "attractivite",
            "description": "Faire venir habitants et visiteurs aux animations de Noël.",
            "starts_on": today,
            "ends_on": today + dt.timedelta(days=45),
            "posts_per_week": 2,
            "audiences": list(
                commune.audiences.filter(slug__in=["habitants", "familles"])
            ),
        },
    )
    audience_ids = list(
        commune.audiences.filter(slug="habitants").values_list("pk", flat=True)
    )
    for item in DEMO_PLANNED:
        post = post_create_blank(
            authority=commune,
            actor=editor,
            title=str(item["title"]),
            text=str(item["text"]),
            url=str(item["url"]),
            networks=list(item["networks"]),
            audience_ids=audience_ids,
        )
        if item["campaign"]:
            post_set_campaign(post=post, campaign=campaign, actor=editor)
        day = today + dt.timedelta(days=int(str(item["days"])))
        post_plan(
            post=post,
            actor=editor,
            planned_at=local_to_utc(
                dt.datetime.combine(day, dt.time(int(str(item["hour"])))),
                commune.timezone,
            ),
        )
        if item["state"] in {"in_review", "approved"}:
            post_submit_for_review(post=post, actor=editor)
        if item["state"] == "approved":
            post_approve(post=post, actor=validator)


# Citizens' messages written for the demo (no real person): what a town of this size
# receives in a few days, through its form, Open311 and its network accounts.
DEMO_MESSAGES: list[dict[str, Any]] = [
    {
        "origin": "form",
        "kind": "report",
        "hours": 2,
        "author_email": "habitant.demo@example.org",
        "address": "Rue de Dinan, devant le n° 14",
        "text": (
            "Un nid-de-poule profond s'est formé sur la chaussée rue de Dinan, devant "
            "le numéro 14. Deux cyclistes ont failli tomber ce matin."
        ),
    },
    {
        "origin": "facebook",
        "kind": "comment",
        "hours": 5,
        "author_name": "Morgane L.",
        "text": (
            "Bonjour, est-ce que la piscine du Naye sera ouverte pendant les "
            "vacances de Noël ? Merci d'avance"
        ),
    },
    {
        "origin": "open311",
        "kind": "report",
        "hours": 9,
        "author_email": "signalement.demo@example.org",
        "address": "Boulevard Chateaubriand",
        "text": (
            "Lampadaire éteint depuis trois soirs boulevard Chateaubriand, à hauteur "
            "de l'arrêt de bus. Le passage piéton est dans le noir complet."
        ),
    },
    {
        "origin": "mastodon",
        "kind": "mention",
        "hours": 20,
        "author_name": "Yann",
        "author_handle": "yann@piaille.fr",
        "text": (
            "Bravo pour les illuminations intra-muros cette année, c'est magnifique "
            "et les enfants ont adoré le marché !"
        ),
    },
    {
        "origin": "form",
        "kind": "contact",
        "hours": 26,
        "author_email": "parent.demo@example.org",
        "text": (
            "Bonjour, je souhaite inscrire ma fille à la cantine de l'école Jean "
            "Macé à partir de janvier. Quels documents faut-il fournir ?"
        ),
    },
    {
        "origin": "facebook",
        "kind": "comment",
        "hours": 30,
        "author_name": "Patrick M.",
        "text": (
            "Les poubelles de la rue Georges Clemenceau n'ont pas été ramassées "
            "depuis une semaine, ça déborde et ça sent très mauvais. C'est "
            "inadmissible !"
        ),
    },
    {
        "origin": "form",
        "kind": "contact",
        "hours": 44,
        "author_email": "college.demo@example.org",
        "text": (
            "Le chauffage ne fonctionne plus au collège Chateaubriand depuis lundi, "
            "les élèves gardent leur manteau en classe. Qui peut intervenir ?"
        ),
    },
    {
        "origin": "form",
        "kind": "report",
        "hours": 50,
        "author_email": "riverain.demo@example.org",
        "address": "Avenue de Moka",
        "text": (
            "Une fuite d'eau importante sur le trottoir avenue de Moka, l'eau coule "
            "sur la chaussée et commence à geler. C'est dangereux."
        ),
    },
    {
        "origin": "mastodon",
        "kind": "comment",
        "hours": 70,
        "author_name": "Léa",
        "author_handle": "lea@mamot.fr",
        "text": (
            "Quand est-ce que la consultation sur le plan vélo sera ouverte ? On "
            "attend des pistes cyclables sécurisées sur le Sillon depuis des années."
        ),
    },
    {
        "origin": "facebook",
        "kind": "comment",
        "hours": 80,
        "author_name": "Compte promo",
        "text": (
            "GAGNEZ 500 € PAR JOUR depuis chez vous !!! Cliquez vite sur mon profil "
            "pour découvrir la méthode"
        ),
    },
]


def _demo_inbox(commune: Authority) -> None:
    """A few days of citizens' messages, classified and routed by the real
    classifier, some already handled, and two saved replies."""
    import datetime as dt

    from django.utils import timezone

    from parvis.inbox.services import (
        message_assign,
        message_receive,
        message_set_status,
        note_add,
        saved_reply_save,
    )

    agent = User.objects.get(email="agent@parvis.demo")
    editor = User.objects.get(email="redaction@parvis.demo")
    now = timezone.now()
    received = []
    for item in DEMO_MESSAGES:
        values = {k: v for k, v in item.items() if k != "hours"}
        received.append(
            message_receive(
                authority=commune,
                received_at=now - dt.timedelta(hours=int(item["hours"])),
                **values,
            ).message
        )
    pothole, _pool, lamp, *_rest = received
    message_assign(message=pothole, actor=editor, assignee=agent)
    message_set_status(message=pothole, actor=agent, status="en_cours")
    note_add(
        message=pothole,
        actor=agent,
        text="Équipe de voirie prévenue, rebouchage provisoire prévu demain matin.",
    )
    message_assign(message=lamp, actor=editor, assignee=agent)
    saved_reply_save(
        authority=commune,
        actor=editor,
        fields={
            "title": "Signalement bien reçu",
            "text": (
                "Bonjour {auteur}, merci pour votre signalement. Le service {service} "
                "s'en occupe et vous tiendra informé avant le {delai}. Numéro de "
                "suivi : {numero}."
            ),
            "topic": "voirie",
            "intent": "signalement",
        },
    )
    saved_reply_save(
        authority=commune,
        actor=editor,
        fields={
            "title": "Remerciement",
            "text": (
                "Merci {auteur} pour votre message, toute l'équipe de "
                "{collectivite} y est sensible !"
            ),
            "intent": "",
        },
    )


# Contributions written for the demo (no real person) to a consultation on cycling.
DEMO_CONTRIBUTIONS = [
    (
        "Morgane",
        "Des pistes cyclables séparées des voitures sur la chaussée du Sillon.",
    ),
    (
        "Yann",
        "Une piste cyclable continue entre Paramé et l'intra-muros, sans coupure.",
    ),
    ("Léa", "Des arceaux pour garer les vélos devant chaque école."),
    ("Patrick", "Des garages à vélos fermés et sécurisés près de la gare."),
    ("Nolwenn", "Plus d'arceaux vélo devant les commerces de Saint-Servan."),
    ("Gaëlle", "Un service de location de vélos électriques pour les habitants."),
    ("Erwan", "Des vélos cargos en prêt pour les familles, quelques jours par mois."),
    ("Soizic", "Une aide à l'achat d'un vélo électrique sous condition de revenus."),
    ("Tanguy", "Réduire la vitesse à 30 km/h dans les rues des écoles."),
    ("Maël", "Des passages piétons et cyclistes mieux éclairés le soir."),
    ("Anne", "Sécuriser le rond-point de la Madeleine pour les vélos."),
    ("Hervé", "Des ateliers de réparation de vélos gratuits une fois par mois."),
    ("Klervi", "Apprendre le vélo aux enfants des écoles primaires, en CM1."),
    ("Loïc", "Des balades à vélo organisées le dimanche pour les débutants."),
    (
        "Morgane",
        "Des pistes cyclables séparées des voitures sur la chaussée du Sillon !",
    ),
]
DEMO_STATEMENTS = [
    "Séparer les pistes cyclables de la circulation automobile, même si cela supprime "
    "des places de stationnement",
    "Limiter la vitesse à 30 km/h dans tout le centre-ville",
    "Installer des arceaux vélo devant chaque école",
    "Aider financièrement l'achat de vélos électriques",
    "Organiser des ateliers de réparation de vélos",
]


def _demo_consultation(commune: Authority) -> None:
    """An open consultation with contributions, statements, votes and its analysis."""
    import datetime as dt

    from django.utils import timezone

    from parvis.participation.analysis import consultation_analyse
    from parvis.participation.models import Contribution
    from parvis.participation.services import (
        consultation_save,
        participant_for,
        statement_add,
        vote_cast,
    )

    editor = User.objects.get(email="redaction@parvis.demo")
    now = timezone.now()
    consultation = consultation_save(
        authority=commune,
        actor=editor,
        values={
            "title": "Saint-Malo à vélo",
            "slug": "velo",
            "question": "Qu'est-ce qui vous aiderait à vous déplacer à vélo ?",
            "description": (
                "Vos idées nourriront le plan vélo 2027-2032. Déposez vos propositions "
                "ici ou en commentaire de nos publications, puis votez sur celles que "
                "l'équipe a retenues."
            ),
            "topic": "transports",
            "starts_at": now - dt.timedelta(days=10),
            "ends_at": now + dt.timedelta(days=35),
            "published": True,
            "votes_open": True,
        },
    )
    for hours, (pseudonym, text) in enumerate(DEMO_CONTRIBUTIONS):
        participant = participant_for(
            consultation=consultation, token=f"demo-{pseudonym}", pseudonym=pseudonym
        )
        Contribution.objects.create(
            consultation=consultation,
            origin="site",
            participant=participant,
            pseudonym=pseudonym,
            text=text,
            status=Contribution.Status.ACCEPTED,
            created_at=now - dt.timedelta(days=9, hours=-8 * hours),
        )
    statements = [
        statement_add(consultation=consultation, actor=editor, text=text)
        for text in DEMO_STATEMENTS
    ]
    # Two camps on space and speed, everyone for bike racks and repairs.
    for person in range(16):
        participant = participant_for(
            consultation=consultation, token=f"demo-vote-{person}"
        )
        camp = 1 if person % 3 else -1
        for number, statement in enumerate(statements):
            value = camp if number < 2 else (1 if number < 4 else (1, 0)[person % 2])
            vote_cast(statement=statement, participant=participant, value=value)
    consultation_analyse(consultation=consultation)

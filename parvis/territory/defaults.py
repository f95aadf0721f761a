"""Default audiences, services and elections seeded for a new authority (editable)."""

import datetime as dt

from parvis.territory.vocabularies import ElectionKind, Kind, Network, Register, Tone

DEFAULT_AUDIENCES = [
    {
        "slug": "habitants",
        "name": "Habitants",
        "description": "Toutes les personnes qui vivent sur le territoire.",
        "register": Register.VOUS,
        "tone": Tone.INSTITUTIONNEL,
        "interests": ["voirie", "proprete", "transports", "culture", "democratie"],
        "preferred_networks": [Network.FACEBOOK, Network.INSTAGRAM],
        "reading_level": 60,
    },
    {
        "slug": "familles",
        "name": "Familles",
        "description": "Parents d'enfants : écoles, crèches, loisirs, sorties.",
        "register": Register.VOUS,
        "tone": Tone.PRATIQUE,
        "interests": ["education", "culture", "social", "environnement"],
        "preferred_networks": [Network.FACEBOOK, Network.INSTAGRAM],
        "reading_level": 65,
    },
    {
        "slug": "jeunes",
        "name": "Jeunes",
        "description": "15-25 ans : études, emploi, sorties, engagement.",
        "register": Register.TU,
        "tone": Tone.DYNAMIQUE,
        "interests": ["culture", "education", "economie", "environnement"],
        "preferred_networks": [Network.INSTAGRAM, Network.BLUESKY],
        "reading_level": 70,
    },
    {
        "slug": "seniors",
        "name": "Seniors",
        "description": "Personnes âgées et aidants : santé, lien social, démarches.",
        "register": Register.VOUS,
        "tone": Tone.CHALEUREUX,
        "interests": ["social", "culture", "transports", "democratie"],
        "preferred_networks": [Network.FACEBOOK],
        "reading_level": 70,
    },
    {
        "slug": "entreprises",
        "name": "Entreprises et investisseurs",
        "description": "Commerçants, artisans, entreprises, porteurs de projets.",
        "register": Register.VOUS,
        "tone": Tone.PROFESSIONNEL,
        "interests": ["economie", "urbanisme", "transports", "budget"],
        "preferred_networks": [Network.LINKEDIN, Network.X],
        "reading_level": 50,
    },
    {
        "slug": "touristes",
        "name": "Touristes",
        "description": "Visiteurs de passage : patrimoine, événements, pratique.",
        "register": Register.VOUS,
        "tone": Tone.CHALEUREUX,
        "interests": ["culture", "environnement", "economie", "transports"],
        "preferred_networks": [Network.INSTAGRAM, Network.FACEBOOK],
        "reading_level": 65,
    },
    {
        "slug": "nouveaux-arrivants",
        "name": "Nouveaux arrivants",
        "description": "Personnes récemment installées : démarches et services.",
        "register": Register.VOUS,
        "tone": Tone.CHALEUREUX,
        "interests": ["democratie", "education", "transports", "proprete"],
        "preferred_networks": [Network.FACEBOOK, Network.INSTAGRAM],
        "reading_level": 65,
    },
]

# Typical directions of a collectivité and the topics they handle, per kind.
_COMMON_SERVICES = [
    ("Direction de la communication", ["autre"]),
    ("Finances", ["budget"]),
    ("Citoyenneté et démarches", ["democratie"]),
]
DEFAULT_SERVICES = {
    Kind.COMMUNE: [
        ("Voirie et espaces publics", ["voirie"]),
        ("Propreté urbaine", ["proprete"]),
        ("Éducation, enfance, jeunesse", ["education"]),
        ("Culture, sports et vie associative", ["culture"]),
        ("CCAS (action sociale)", ["social"]),
        ("Urbanisme", ["urbanisme"]),
        ("Police municipale", ["securite"]),
        ("Espaces verts et environnement", ["environnement"]),
        ("Développement économique et commerce", ["economie"]),
        *_COMMON_SERVICES,
    ],
    Kind.EPCI: [
        ("Collecte et valorisation des déchets", ["proprete"]),
        ("Mobilités et transports", ["transports"]),
        ("Développement économique et tourisme", ["economie"]),
        ("Environnement, eau et assainissement", ["environnement"]),
        ("Habitat et urbanisme", ["urbanisme"]),
        ("Équipements culturels et sportifs", ["culture"]),
        *_COMMON_SERVICES,
    ],
    Kind.DEPARTEMENT: [
        ("Solidarités (autonomie, insertion, enfance)", ["social"]),
        ("Collèges", ["education"]),
        ("Routes départementales", ["voirie"]),
        ("Culture, sport et patrimoine", ["culture"]),
        ("Environnement et espaces naturels sensibles", ["environnement"]),
        ("Attractivité et tourisme", ["economie"]),
        *_COMMON_SERVICES,
    ],
    Kind.REGION: [
        ("Lycées", ["education"]),
        ("Transports régionaux (TER, cars)", ["transports"]),
        ("Développement économique et emploi", ["economie"]),
        ("Environnement et transition énergétique", ["environnement"]),
        ("Culture, sport et patrimoine", ["culture"]),
        ("Formation professionnelle", ["education", "economie"]),
        *_COMMON_SERVICES,
    ],
}

# Next general elections after the 2026 municipales. Dates are the expected ones until
# each convocation decree: they are marked estimated and editable by the authority.
_NATIONAL = [
    (ElectionKind.PRESIDENTIELLE, dt.date(2027, 4, 11), dt.date(2027, 4, 25)),
    (ElectionKind.LEGISLATIVES, dt.date(2027, 6, 13), dt.date(2027, 6, 20)),
    (ElectionKind.EUROPEENNES, dt.date(2029, 6, 10), None),
]
_LOCAL = {
    Kind.COMMUNE: [
        (ElectionKind.MUNICIPALES, dt.date(2032, 3, 14), dt.date(2032, 3, 21))
    ],
    Kind.EPCI: [(ElectionKind.MUNICIPALES, dt.date(2032, 3, 14), dt.date(2032, 3, 21))],
    Kind.DEPARTEMENT: [
        (ElectionKind.DEPARTEMENTALES, dt.date(2028, 3, 12), dt.date(2028, 3, 19))
    ],
    Kind.REGION: [
        (ElectionKind.REGIONALES, dt.date(2028, 3, 12), dt.date(2028, 3, 19))
    ],
}


def default_elections(kind: str) -> list[tuple[str, dt.date, dt.date | None]]:
    return sorted([*_LOCAL.get(Kind(kind), []), *_NATIONAL], key=lambda e: e[1])

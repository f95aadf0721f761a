"""The cast of the test suite (STYLE.md rule 9).

- `commune`: Saint-Malo-like authority with `admin`, `editor`, `validator` members;
- `other_authority` with its own admin; `agency`: an editor in both; `outsider`: a
  user of `other_authority` only, who must get 404 on everything of `commune`.
The reference rows are a handful of real entries, not the whole extract (fast).
"""

import pytest

from parvis.accounts.models import User
from parvis.accounts.roles import Role
from parvis.accounts.services import membership_set
from parvis.territory.models import Territory
from parvis.territory.reference import normalize_name
from parvis.territory.services import authority_create

PASSWORD = "correct-horse-battery-staple"  # noqa: S105 (the test cast's password)

REFERENCE_ROWS = [
    ("region", "53", "Bretagne", 3_453_023, "", "", ""),
    ("departement", "35", "Ille-et-Vilaine", 1_123_000, "", "", "53"),
    (
        "epci",
        "243500782",
        "CA du Pays de Saint Malo Agglomération",
        84_000,
        "",
        "35",
        "53",
    ),
    ("commune", "35288", "Saint-Malo", 47_439, "243500782", "35", "53"),
    ("commune", "35238", "Rennes", 227_830, "243500139", "35", "53"),
    ("region", "84", "Auvergne-Rhône-Alpes", 8_235_923, "", "", ""),
    ("epci", "200046977", "Métropole de Lyon", 1_433_613, "", "69", "84"),
    ("commune", "69123", "Lyon", 519_127, "200046977", "69", "84"),
    ("departement", "33", "Gironde", 1_690_493, "", "", "75"),
]


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_FILES_ROOT = tmp_path / "private"
    # The in-process cache outlives a test's rolled-back rows (ids are reused).
    from django.core.cache import cache

    cache.clear()
    # Hashing passwords properly is slow by design; tests only need it to work.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def reference(db):
    Territory.objects.bulk_create(
        [
            Territory(
                kind=kind,
                code=code,
                name=name,
                search_name=normalize_name(name),
                population=population,
                epci_code=epci,
                departement_code=dep,
                region_code=region,
                dataset_version="test",
            )
            for kind, code, name, population, epci, dep, region in REFERENCE_ROWS
        ]
    )
    return {t.code: t for t in Territory.objects.all()}


def make_user(email: str, *, staff: bool = False) -> User:
    return User.objects.create_user(
        email, PASSWORD, full_name=email.split("@")[0].title(), is_staff=staff
    )


@pytest.fixture
def staff(db):
    return make_user("plateforme@example.org", staff=True)


@pytest.fixture
def admin_user(db):
    return make_user("admin@saint-malo.example")


@pytest.fixture
def commune(reference, admin_user):
    return authority_create(territory_id=reference["35288"].pk, creator=admin_user)


@pytest.fixture
def editor(commune, admin_user):
    user = make_user("redaction@saint-malo.example")
    membership_set(authority=commune, user=user, role=Role.EDITOR, actor=admin_user)
    return user


@pytest.fixture
def validator(commune, admin_user):
    user = make_user("validation@saint-malo.example")
    membership_set(authority=commune, user=user, role=Role.VALIDATOR, actor=admin_user)
    return user


@pytest.fixture
def other_authority(reference):
    other_admin = make_user("admin@lyon.example")
    return authority_create(territory_id=reference["69123"].pk, creator=other_admin)


@pytest.fixture
def outsider(other_authority):
    user = make_user("redaction@lyon.example")
    membership_set(authority=other_authority, user=user, role=Role.ADMIN, actor=None)
    return user


@pytest.fixture
def agency(commune, other_authority, admin_user):
    user = make_user("agence@example.org")
    for authority in (commune, other_authority):
        membership_set(authority=authority, user=user, role=Role.EDITOR, actor=None)
    return user


@pytest.fixture
def client_of(client):
    """`client_of(user)`: the test client signed in as `user`."""

    def sign_in(user):
        client.force_login(user)
        return client

    return sign_in

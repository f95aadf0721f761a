"""The inbox's cast for the workflow, selector and view tests: an agent of the
commune's roads service, an elected member, and messages made in bulk with their
labels given (no classifier run: these tests are about what the team does)."""

import datetime as dt
import itertools

import factory
import pytest

from conftest import make_user
from parvis.accounts.roles import Role
from parvis.accounts.services import membership_set
from parvis.inbox.models import Message
from parvis.territory.models import Service

__all__ = [  # the fixtures, for `import *` in the test modules
    "agent",
    "cleaning",
    "cleaning_message",
    "elected",
    "foreign_message",
    "road_message",
    "roads",
]

_clock = itertools.count()
START = dt.datetime(2026, 11, 2, 8, 0, tzinfo=dt.UTC)  # a Monday


class MessageFactory(factory.django.DjangoModelFactory):
    """A classified message; each new one a minute after the previous."""

    class Meta:
        model = Message

    origin = "form"
    kind = "report"
    text = factory.Sequence(lambda n: f"Nid-de-poule rue de Dinan, signalement {n}.")
    received_at = factory.LazyFunction(
        lambda: START + dt.timedelta(minutes=next(_clock))
    )
    topic = "voirie"
    intent = "signalement"
    level = "commune"
    classified_at = factory.LazyAttribute(lambda m: m.received_at)
    confidences = factory.LazyFunction(lambda: {"topic": 0.9, "intent": 0.8})


def service_named(authority, name):
    return Service.objects.get(authority=authority, name=name)


@pytest.fixture
def roads(commune):
    """The commune's roads service (seeded with the authority)."""
    return service_named(commune, "Voirie et espaces publics")


@pytest.fixture
def cleaning(commune):
    return service_named(commune, "Propreté urbaine")


@pytest.fixture
def agent(commune, admin_user, roads):
    user = make_user("voirie@saint-malo.example")
    membership_set(authority=commune, user=user, role=Role.AGENT, actor=admin_user)
    roads.members.add(user)
    return user


@pytest.fixture
def elected(commune, admin_user):
    user = make_user("elue@saint-malo.example")
    membership_set(authority=commune, user=user, role=Role.ELECTED, actor=admin_user)
    return user


@pytest.fixture
def road_message(commune, roads):
    return MessageFactory(authority=commune, service=roads)


@pytest.fixture
def cleaning_message(commune, cleaning):
    return MessageFactory(
        authority=commune,
        service=cleaning,
        topic="proprete",
        text="Dépôt sauvage d'encombrants place du marché.",
    )


@pytest.fixture
def foreign_message(other_authority):
    return MessageFactory(authority=other_authority, text="Message de Lyon.")

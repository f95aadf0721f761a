"""The circuit's cast: the commune's editor, validator and admin (root conftest), an
elected member, an agent, a post of the editor with two Mastodon variants."""

import pytest

from conftest import make_user
from parvis.accounts.roles import Role
from parvis.accounts.services import membership_set
from parvis.planning.models import ApprovalPolicy
from parvis.studio.models import Post, Variant


@pytest.fixture
def elected(commune, admin_user):
    user = make_user("elue@saint-malo.example")
    membership_set(authority=commune, user=user, role=Role.ELECTED, actor=admin_user)
    return user


@pytest.fixture
def agent(commune, admin_user):
    user = make_user("voirie@saint-malo.example")
    membership_set(authority=commune, user=user, role=Role.AGENT, actor=admin_user)
    return user


@pytest.fixture
def post(commune, editor):
    post = Post.objects.create(
        authority=commune,
        title="Fête du jeu",
        source_title="Fête du jeu",
        source_text="La Fête du jeu a lieu samedi au parc des Chênes.",
        created_by=editor,
    )
    for slug in ("habitants", "familles"):
        Variant.objects.create(
            post=post,
            network="mastodon",
            audience=commune.audiences.get(slug=slug),
            parts=[f"Fête du jeu samedi au parc des Chênes ({slug})."],
        )
    return post


@pytest.fixture
def two_levels(commune):
    return ApprovalPolicy.objects.create(authority=commune, levels=2)


@pytest.fixture
def channel(commune, admin_user):
    from parvis.channels.services import channel_connect
    from parvis.connectors.base import AccountInfo, Credentials

    return channel_connect(
        authority=commune,
        network="mastodon",
        credentials=Credentials(access_token="t"),
        account=AccountInfo(account_id="id-1", handle="@ville@social.example"),
        actor=admin_user,
    )

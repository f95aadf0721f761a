"""Posts on the calendar for the tests: factory_boy for bulk, times given in Paris
local time."""

import datetime as dt
from zoneinfo import ZoneInfo

import factory

from parvis.studio.models import Post, PostState, Variant

PARIS = ZoneInfo("Europe/Paris")


def paris(*args: int, fold: int = 0) -> dt.datetime:
    """The UTC instant of a Paris wall-clock time: paris(2026, 10, 25, 2, 30)."""
    return dt.datetime(*args, tzinfo=PARIS, fold=fold).astimezone(dt.UTC)


class PostFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Post

    title = factory.Sequence(lambda n: f"Publication {n}")
    source_title = factory.SelfAttribute("title")
    source_text = "La médiathèque ouvre le dimanche matin."
    state = PostState.DRAFT


class VariantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Variant

    post = factory.SubFactory(PostFactory)
    network = "mastodon"
    parts = factory.LazyAttribute(lambda v: [f"{v.post.title} : à ne pas manquer."])


def planned(authority, when, *, networks=("mastodon",), audience=None, **fields):
    """A post of `authority` at the instant `when`, one variant per network."""
    post = PostFactory(authority=authority, planned_at=when, **fields)
    for network in networks:
        VariantFactory(post=post, network=network, audience=audience)
    return post

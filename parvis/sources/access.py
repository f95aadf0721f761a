"""Guards of the sources app, in the style of parvis/accounts/access.py: an object of
another authority answers 404, never 403."""

from typing import Any

from parvis.accounts.access import _owned
from parvis.sources.models import Article, Source
from parvis.territory.models import Authority


def access_source(authority: Authority, source_id: Any) -> Source:
    return _owned(Source, authority, source_id)


def access_article(authority: Authority, article_id: Any) -> Article:
    return _owned(Article, authority, article_id)

"""The engine on the twelve authority pages of the fixtures: every variant, for every
network and every default audience, fits, is not a republication, keeps the key facts and
invents none."""

import json
import re
import unicodedata
from functools import cache
from pathlib import Path

import pytest

from parvis.nlp.facts import invented_facts
from parvis.sources.extract import extract_article
from parvis.studio.audiences import default_profiles
from parvis.studio.checks import check_against_source
from parvis.studio.engine import SourceText, adapt
from parvis.studio.networks import NETWORKS

FIXTURES = Path(__file__).parent / "fixtures" / "articles"
MANIFEST = json.loads((FIXTURES / "manifest.json").read_text(encoding="utf-8"))
AUDIENCES = tuple(default_profiles())  # all seven


@cache
def source_for(file: str, url: str) -> SourceText:
    page = extract_article((FIXTURES / file).read_text(encoding="utf-8"), url)
    return SourceText(
        title=page.title,
        lead=page.lead,
        text=page.text,
        url=page.canonical_url or url,
        image_url=page.image_url,
        image_alt=page.image_alt or page.image_caption,
    )


def squash(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).replace("\u202f", " ").replace("’", "'")
    return re.sub(r"\s+", " ", text).casefold()


CASES = [
    pytest.param(
        entry, network, audience, id=f"{entry['file'][:2]}-{network}-{audience}"
    )
    for entry in MANIFEST
    for network in NETWORKS
    for audience in AUDIENCES
]


@pytest.mark.parametrize(("entry", "network", "audience"), CASES)
def test_every_variant_fits_is_written_for_the_network_and_invents_nothing(
    entry, network, audience
):
    source = source_for(entry["file"], entry["url"])
    profile = default_profiles()[audience]
    variant = adapt(source, network=network, audience=profile)
    checks = check_against_source(
        variant.parts,
        source=source,
        network=network,
        audience=profile,
        image_alt=source.image_alt,
    )
    assert checks["fits"].ok, checks["fits"].message
    assert checks["specificity"].ok, checks["specificity"].message
    assert checks["facts"].ok, checks["facts"].message


@pytest.mark.parametrize("entry", MANIFEST, ids=[e["file"][:2] for e in MANIFEST])
@pytest.mark.parametrize("network", NETWORKS)
def test_the_key_facts_of_each_page_are_kept(entry, network):
    source = source_for(entry["file"], entry["url"])
    variant = adapt(source, network=network, audience=default_profiles()["habitants"])
    text = squash(variant.text)
    facts = entry["key_facts"]

    def kept(value: str) -> bool:
        # Written the same way, or the same fact written otherwise ("16 janvier" is
        # kept by "du 16 au 30 janvier 2027"; "14h30" by "14 h 30").
        return squash(value) in text or not invented_facts(value, variant.text)

    missing = [
        value
        for kind in ("dates", "times", "amounts", "phones", "emails", "places")
        for value in facts.get(kind, [])
        if not kept(value)
    ]
    if network != "instagram":  # links do not click there: the page is named instead
        missing += [link for link in facts.get("links", []) if squash(link) not in text]
    assert not missing, f"{network}: missing {missing}\n{variant.text}"

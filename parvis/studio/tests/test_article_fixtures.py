"""The article fixtures hold the facts their manifest promises.

Other tests rely on `fixtures/articles/manifest.json` to know what a good variant
must keep; these tests make sure each listed fact is really in the page and survives
trafilatura's extraction. Whitespace is compared collapsed, because the pages use
French no-break spaces ("14&nbsp;h") the way real CMS do.
"""

import json
from html.parser import HTMLParser
from pathlib import Path

import pytest
import trafilatura

FIXTURES = Path(__file__).parent / "fixtures" / "articles"
MANIFEST = json.loads((FIXTURES / "manifest.json").read_text(encoding="utf-8"))
FACT_KINDS = ("dates", "times", "places", "amounts", "phones", "links", "emails")


class _TextCollector(HTMLParser):
    """The visible text of a page: everything but scripts and styles."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.chunks: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in ("script", "style"):
            self._skipping += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style") and self._skipping:
            self._skipping -= 1

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.chunks.append(data)


def _collapsed(text: str) -> str:
    return " ".join(text.split())


def _facts(entry: dict) -> list[str]:
    return [fact for kind in FACT_KINDS for fact in entry["key_facts"][kind]]


def _page(entry: dict) -> str:
    return (FIXTURES / entry["file"]).read_text(encoding="utf-8")


@pytest.mark.parametrize("entry", MANIFEST, ids=lambda entry: entry["file"])
def test_page_text_contains_every_key_fact(entry):
    collector = _TextCollector()
    collector.feed(_page(entry))
    collector.close()
    text = _collapsed(" ".join(collector.chunks))

    assert _facts(entry), "a fixture lists at least one key fact"
    assert [fact for fact in _facts(entry) if fact not in text] == []


@pytest.mark.parametrize("entry", MANIFEST, ids=lambda entry: entry["file"])
def test_trafilatura_keeps_every_key_fact(entry):
    extracted = trafilatura.extract(
        _page(entry), url=entry["url"], favor_precision=False
    )

    assert extracted
    text = _collapsed(extracted)
    assert [fact for fact in _facts(entry) if fact not in text] == []


def test_manifest_lists_every_fixture_page_once():
    listed = [entry["file"] for entry in MANIFEST]

    assert sorted(listed) == sorted(path.name for path in FIXTURES.glob("*.html"))
    assert len(set(listed)) == len(listed)
    assert {entry["kind"] for entry in MANIFEST} >= {
        "event",
        "roadworks",
        "school_enrolment",
        "council_decision",
        "job_offer",
        "weather_alert",
    }

"""What changed between a version of an article and the one before it, paragraph by
paragraph, for the team to see at a glance (a date moved, a place changed)."""

import difflib
from dataclasses import dataclass

from parvis.sources.models import Article


@dataclass(frozen=True)
class Change:
    kind: str  # "added" | "removed"
    text: str

    @property
    def label(self) -> str:
        return "Ajouté" if self.kind == "added" else "Retiré"


def _paragraphs(article: Article) -> list[str]:
    head = [f"Titre : {article.title}", f"Chapô : {article.lead}"]
    return head + [p.strip() for p in article.text.split("\n\n") if p.strip()]


def version_changes(*, article: Article) -> list[Change]:
    """Paragraphs removed from and added to the previous version (none for a first
    version)."""
    previous = article.previous
    if previous is None:
        return []
    before, after = _paragraphs(previous), _paragraphs(article)
    changes = []
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag in {"replace", "delete"}:
            changes += [Change("removed", text) for text in before[i1:i2]]
        if tag in {"replace", "insert"}:
            changes += [Change("added", text) for text in after[j1:j2]]
    return changes

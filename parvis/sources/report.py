"""What a check of a source found, told in French for the team."""

from dataclasses import dataclass, field


@dataclass
class PollReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    not_modified: bool = False
    failure: str = ""
    page_errors: list[str] = field(default_factory=list)

    def summary(self) -> str:
        if self.not_modified:
            return "Aucun changement depuis la vérification précédente."
        found = [
            _count(self.created, "nouvel article", "nouveaux articles"),
            _count(self.updated, "article mis à jour", "articles mis à jour"),
            _count(self.unchanged, "article inchangé", "articles inchangés"),
        ]
        found = [part for part in found if part]
        return _sentence(", ".join(found)) if found else "Rien de nouveau."

    def error_text(self) -> str:
        if self.failure:
            return self.failure
        if not self.page_errors:
            return ""
        head = _count(
            len(self.page_errors),
            "page n'a pas pu être lue",
            "pages n'ont pas pu être lues",
        )
        return f"{head[0].upper()}{head[1:]} : " + " ; ".join(self.page_errors[:5])


def _sentence(text: str) -> str:
    return f"{text[0].upper()}{text[1:]}."


def _count(number: int, singular: str, plural: str) -> str:
    if not number:
        return ""
    return f"{number} {singular if number == 1 else plural}"

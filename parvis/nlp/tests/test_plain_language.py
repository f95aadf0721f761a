import re
from pathlib import Path

from parvis.nlp.acronyms import acronyms
from parvis.nlp.plain import (
    PlainIssue,
    jargon_entries,
    plain_language_issues,
    safe_replacements,
)


def jargon(text: str) -> list[tuple[str, str]]:
    return [
        (issue.term, issue.suggestion)
        for issue in plain_language_issues(text)
        if issue.kind == "jargon"
    ]


def acronym_terms(text: str) -> list[str]:
    return [i.term for i in plain_language_issues(text) if i.kind == "acronym"]


def test_the_lists_are_long_enough_and_read_from_the_package():
    assert len(jargon_entries()) >= 80
    assert {"CCAS", "PLU", "PLUi", "EPCI", "ALSH", "RPE", "CAF", "SDIS", "ZFE"} <= set(
        acronyms()
    )
    data = Path(__file__).resolve().parents[1] / "data"
    assert (data / "jargon_fr.csv").read_text(encoding="utf-8").startswith("#")


def test_jargon_is_found_with_a_plainer_alternative():
    assert jargon("Afin de vous inscrire, il convient de remplir le formulaire.") == [
        ("Afin de", "Pour"),
        ("il convient de", "il faut"),
    ]


def test_suggestions_fit_elisions_contractions_and_plurals():
    text = "Afin d'obtenir la carte, procéder au paiement. Les usagers du service."
    assert jargon(text) == [
        ("Afin d'", "Pour "),
        ("procéder au", "faire le"),
        ("usagers", "habitants / personnes"),
    ]
    assert "Afin d'obtenir".replace("Afin d'", "Pour ") == "Pour obtenir"


def test_verb_forms_and_longest_terms_are_matched():
    text = (
        "Les travaux font l'objet d'un suivi. La collectivité territoriale "
        "procédera à la réfection."
    )
    terms = [term for term, _ in jargon(text)]
    assert terms == [
        "font l'objet d'",
        "collectivité territoriale",
        "procédera à",
        "réfection",
    ]


def test_safe_replacements_leave_out_words_that_depend_on_the_context():
    text = "Afin d'aider les usagers, la collectivité procède à la réfection du pont."
    assert safe_replacements(text) == [
        ("Afin d'", "Pour "),
        ("usagers", "habitants"),
        ("procède à", "faire"),
        ("réfection", "réparation"),
    ]


def test_each_jargon_entry_is_reported_once():
    assert len(jargon("afin de lire, afin de voir, afin d'écrire")) == 1


def test_plain_text_has_no_issue():
    assert (
        plain_language_issues("Venez fêter la musique samedi avec vos voisins !") == []
    )


def test_an_unexpanded_acronym_is_an_issue_with_its_meaning():
    issues = plain_language_issues("Prenez rendez-vous au CCAS.")
    assert issues == [
        PlainIssue("CCAS", "centre communal d'action sociale (CCAS)", "acronym")
    ]


def test_an_acronym_expanded_in_the_text_is_fine():
    assert acronym_terms("Le plan local d'urbanisme (PLU) est en ligne.") == []
    assert acronym_terms("Le PLU (plan local d'urbanisme) est en ligne.") == []
    assert (
        acronym_terms("Le relais petite enfance vous répond. Le RPE est ouvert.") == []
    )


def test_case_matters_for_acronyms():
    assert acronym_terms("Le PLUi et le SCoT.") == ["PLUi", "SCoT"]


def test_unknown_capital_tokens_are_reported_unless_words_names_or_numerals():
    text = (
        "Le SMICTOM collecte. ATTENTION TRAVAUX. Jean DUPONT, maire. Louis XIV. "
        "Voir https://ville.fr/CCAS et #FêteDeLaMusique."
    )
    assert plain_language_issues(text) == [PlainIssue("SMICTOM", "", "acronym")]


def _sample(term: str) -> str:
    """A text the term must match: first alternatives, no wildcard."""
    text = re.sub(r"\(([^|)]*)[^)]*\)", r"\1", term)
    return text.replace("*", "").replace("?", "")


def test_every_jargon_entry_matches_its_own_words():
    for entry in jargon_entries():
        sample = _sample(entry.term)
        issues = plain_language_issues(f"Texte : {sample}.")
        assert issues, entry.term
        assert issues[0].term.lower() == sample.lower(), entry.term
        assert entry.suggestion, entry.term


def test_acronyms_are_unique_and_expanded():
    rows = [
        line.split(";")[0]
        for line in (Path(__file__).resolve().parents[1] / "data" / "acronyms_fr.csv")
        .read_text(encoding="utf-8")
        .splitlines()
        if line and not line.startswith("#")
    ][1:]
    assert len(rows) == len(set(rows)) == len(acronyms())
    assert all(expansions and expansions[0] for expansions in acronyms().values())

"""Which level of government is competent for a message.

Two steps. Keywords first: `data/lexicons/level.csv` names competences ("colleges",
"ter_trains", "etat", "dechets_menagers", …) by their words; the competence with the
highest score wins, and `competences` says which level holds it. Without a keyword,
the topic decides, through the same mapping ("voirie" -> commune).

`competences` is configurable per authority and completes the default: where the
commune still collects its waste or runs its water, `{"dechets_menagers": "commune"}`.
"""

from collections.abc import Mapping

# The default, for a commune member of an EPCI (the usual French case since 2017):
# waste collection, water and sanitation, urban transport, economic development and
# intercommunal planning belong to the EPCI; collèges, departmental roads and most
# social benefits (RSA, APA, PMI, MDPH) to the département; lycées, TER and school or
# interurban coaches to the région; identity papers, préfecture, police nationale,
# gendarmerie, income tax, CAF, France Travail and teachers to the État.
COMMUNE_COMPETENCES: Mapping[str, str] = {
    # topics, when no keyword names a competence
    "voirie": "commune",
    "proprete": "commune",
    "transports": "epci",
    "urbanisme": "commune",
    "education": "commune",
    "environnement": "commune",
    "culture": "commune",
    "social": "commune",
    "economie": "commune",
    "budget": "commune",
    "securite": "commune",
    "democratie": "commune",
    "autre": "commune",
    # competences named by keywords (data/lexicons/level.csv)
    "commune": "commune",
    "dechets_menagers": "epci",
    "eau_assainissement": "epci",
    "transports_urbains": "epci",
    "developpement_economique": "epci",
    "urbanisme_intercommunal": "epci",
    "piscine_intercommunale": "epci",
    "intercommunalite": "epci",
    "colleges": "departement",
    "routes_departementales": "departement",
    "action_sociale_departementale": "departement",
    "departement": "departement",
    "lycees": "region",
    "ter_trains": "region",
    "region": "region",
    "etat": "etat",
}

# A keyword must score at least this much to override the topic (a weight-1 word such
# as "collecte" alone does not move a message to the EPCI).
KEYWORD_THRESHOLD = 1.5
KEYWORD_CONFIDENCE = 0.9
TOPIC_CONFIDENCE = 0.75  # times the topic's own confidence


def competent_level(
    topic: str,
    topic_confidence: float,
    keyword_scores: Mapping[str, float],
    competences: Mapping[str, str] | None = None,
) -> tuple[str, float]:
    """(level, confidence) for a message of `topic` whose level lexicon found
    `keyword_scores` (competence -> score)."""
    competences = {**COMMUNE_COMPETENCES, **(competences or {})}
    ranked = sorted(
        (
            (score, name)
            for name, score in keyword_scores.items()
            if name in competences and score >= KEYWORD_THRESHOLD
        ),
        key=lambda pair: (-pair[0], pair[1]),
    )
    if ranked:
        best_score, best = ranked[0]
        # Two competences of different levels, equally named: less sure.
        level = competences[best]
        rivals = [
            n for s, n in ranked[1:] if s == best_score and competences[n] != level
        ]
        return level, KEYWORD_CONFIDENCE * (0.6 if rivals else 1.0)
    level = competences.get(topic, competences.get("autre", "commune"))
    return level, round(TOPIC_CONFIDENCE * topic_confidence + 0.2, 4)

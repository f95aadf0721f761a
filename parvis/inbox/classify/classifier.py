"""Classification of citizens' messages: topic, intent, sentiment, urgency, competent
level and abuse, each with a confidence between 0 and 1.

The linear heads of the model (`model.py`) read words, letters and lexicon scores
(`features.py`); a few lexicon rules then have the last word where a curated term is
unambiguous (`_apply_rules`), and the competent level follows from the topic and the
level keywords (`levels.py`). Offline and deterministic: no network, no randomness.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache

from parvis.inbox.classify import encoder
from parvis.inbox.classify.features import Analysis, analyse
from parvis.inbox.classify.files import MODEL_FILE
from parvis.inbox.classify.levels import COMMUNE_COMPETENCES, competent_level
from parvis.inbox.classify.model import Model, loads

COLUMNS = ("topic", "intent", "sentiment", "urgency", "level", "abuse")

# A message whose abuse lexicon scores this much (insult, hate, threat or spam terms
# of weight 3, or several lighter ones) is abusive whatever the model says.
ABUSE_LEXICON_THRESHOLD = 3.0
ABUSE_PROBABILITY = 0.5


@dataclass(frozen=True)
class Classification:
    topic: str
    intent: str
    sentiment: str
    urgency: str
    level: str
    abuse: bool
    confidences: dict[str, float]


@cache
def default_model() -> Model:
    """The model shipped in `data/model/classifier.zip`, loaded once per process."""
    return loads(MODEL_FILE.read_bytes())


def classify(
    text: str,
    *,
    model: Model | None = None,
    competences: Mapping[str, str] | None = None,
    use_encoder: bool = False,
) -> Classification:
    """The classification of one message (see `classify_many`)."""
    return classify_many(
        [text], model=model, competences=competences, use_encoder=use_encoder
    )[0]


def classify_many(
    texts: Sequence[str],
    *,
    model: Model | None = None,
    competences: Mapping[str, str] | None = None,
    use_encoder: bool = False,
) -> list[Classification]:
    """The classification of every text, in order. `competences` maps topics and
    competences to levels (default: `levels.COMMUNE_COMPETENCES`); `use_encoder`
    adds the sentence encoder's similarity to labelled examples (`encoder.py`:
    better, and about ten times slower)."""
    if not texts:
        return []
    model = model or default_model()
    analyses = [analyse(text) for text in texts]
    matrix = model.features.matrix(analyses)
    probabilities = {
        name: head.probabilities(matrix) for name, head in model.heads.items()
    }
    if use_encoder and any(h.centroids is not None for h in model.heads.values()):
        embeddings = encoder.embed(list(texts))
        for name, head in model.heads.items():
            if head.centroids is not None:
                similar = encoder.similarity_probabilities(embeddings, head.centroids)
                probabilities[name] = (1 - encoder.SIMILARITY_WEIGHT) * probabilities[
                    name
                ] + encoder.SIMILARITY_WEIGHT * similar
    results = []
    for row, analysis in enumerate(analyses):
        labels: dict[str, str] = {}
        confidences: dict[str, float] = {}
        for name, head in model.heads.items():
            scores = probabilities[name][row]
            best = int(scores.argmax())
            labels[name] = head.classes[best]
            confidences[name] = float(scores[best])
        _apply_rules(analysis, labels, confidences, probabilities, row, model)
        if labels.get("abuse") == "1":
            # Nothing to redirect: moderation stays with the authority that received it.
            level = {**COMMUNE_COMPETENCES, **(competences or {})}["autre"]
            level_confidence = confidences["abuse"]
        else:
            level, level_confidence = competent_level(
                labels.get("topic", "autre"),
                confidences.get("topic", 0.0),
                analysis.lexicon_scores["level"],
                competences,
            )
        confidences["level"] = level_confidence
        results.append(
            Classification(
                topic=labels.get("topic", "autre"),
                intent=labels.get("intent", "autre"),
                sentiment=labels.get("sentiment", "neutre"),
                urgency=labels.get("urgency", "normal"),
                level=level,
                abuse=labels.get("abuse") == "1",
                confidences={
                    name: round(confidences[name], 4)
                    for name in COLUMNS
                    if name in confidences
                },
            )
        )
    return results


def _apply_rules(
    analysis: Analysis,
    labels: dict[str, str],
    confidences: dict[str, float],
    probabilities: dict,
    row: int,
    model: Model,
) -> None:
    """Lexicon rules over the model: an unambiguous abuse term makes the message
    abusive; an abusive message has the intent "abus"."""
    if "abuse" in labels:
        abuse_score = sum(analysis.lexicon_scores["abuse"].values())
        positive = float(probabilities["abuse"][row][1])
        if abuse_score >= ABUSE_LEXICON_THRESHOLD and labels["abuse"] != "1":
            labels["abuse"] = "1"
            confidences["abuse"] = max(positive, 0.6)
        if labels["abuse"] == "1" and "intent" in labels and labels["intent"] != "abus":
            labels["intent"] = "abus"
            classes = model.heads["intent"].classes
            if "abus" in classes:
                confidences["intent"] = max(
                    float(probabilities["intent"][row][classes.index("abus")]),
                    confidences["abuse"],
                )


def least_confident(
    texts: Sequence[str], n: int, *, model: Model | None = None
) -> list[int]:
    """The positions of the `n` texts the model is least sure of (lowest confidence
    on topic or intent, the two columns agents correct most), least sure first; ties
    keep the order of `texts`. Active learning: ask an agent about these first."""
    results = classify_many(texts, model=model)
    sureness = [
        min(result.confidences.get("topic", 1.0), result.confidences.get("intent", 1.0))
        for result in results
    ]
    order = sorted(range(len(texts)), key=lambda index: (sureness[index], index))
    return order[:n]

from dataclasses import replace

import pytest

from parvis.inbox.classify import classify, classify_many, least_confident
from parvis.inbox.classify.files import MODEL_FILE
from parvis.inbox.classify.model import dumps, loads, same_model
from parvis.inbox.classify.train import (
    abuse_value,
    fit,
    train_default,
    train_from_corrections,
)

EXAMPLES = [
    {
        "text": "Le lampadaire de ma rue est éteint.",
        "topic": "voirie",
        "intent": "signalement",
    },
    {
        "text": "Trou dans la chaussée rue Carnot.",
        "topic": "voirie",
        "intent": "signalement",
    },
    {
        "text": "Quand passe le bus 4 le dimanche ?",
        "topic": "transports",
        "intent": "question",
    },
    {
        "text": "Horaires du tram le 1er mai ?",
        "topic": "transports",
        "intent": "question",
    },
    {
        "text": "Le feu rouge est en panne au carrefour.",
        "topic": "voirie",
        "intent": "signalement",
    },
    {
        "text": "Le bus de nuit circule-t-il encore ?",
        "topic": "transports",
        "intent": "question",
    },
]


def test_training_twice_gives_the_same_bytes():
    first = dumps(fit(EXAMPLES, with_encoder=False))
    assert dumps(fit(EXAMPLES, with_encoder=False)) == first


def test_a_model_file_loads_back_to_the_same_predictions():
    model = fit(EXAMPLES, with_encoder=False)
    again = loads(dumps(model))
    text = "Le bus 4 est-il en retard ?"
    assert classify(text, model=again) == classify(text, model=model)


def test_anything_but_a_model_file_is_refused():
    with pytest.raises(ValueError, match="Not a Parvis classifier model"):
        loads(b"not a zip archive")


@pytest.mark.slow
def test_the_shipped_model_is_what_the_training_script_makes():
    assert same_model(MODEL_FILE.read_bytes(), train_default())


@pytest.mark.slow
def test_an_authority_correction_changes_its_model():
    text = "Le SIVOM n'a pas vidé les colonnes du hameau."
    corrections = [{"text": text, "topic": "proprete", "level": "epci"}] * 3
    model = loads(train_from_corrections(corrections))
    assert classify(text, model=model).topic == "proprete"


def test_active_learning_asks_first_about_the_least_sure_messages():
    texts = [
        "Les poubelles de la rue Voltaire n'ont pas été ramassées depuis mardi.",
        "Le bus, la cantine, les impôts, la piscine et le bruit.",
        "Quels sont les horaires de la piscine municipale le dimanche ?",
        "Merci beaucoup pour le magnifique feu d'artifice, bravo !",
    ]
    results = classify_many(texts)
    sureness = [min(r.confidences["topic"], r.confidences["intent"]) for r in results]
    order = least_confident(texts, 4)
    assert [sureness[index] for index in order] == sorted(sureness)
    assert least_confident(texts, 2) == order[:2]


@pytest.mark.parametrize(
    ("value", "expected"),
    [("1", "1"), ("0", "0"), ("true", "1"), ("non", "0"), ("", "0"), (True, "1")],
)
def test_abuse_columns_are_read_in_their_usual_spellings(value, expected):
    assert abuse_value(value) == expected


def test_models_differing_beyond_the_encoders_last_bits_are_not_the_same():
    data = MODEL_FILE.read_bytes()
    model = loads(data)
    head = model.heads["topic"]
    assert head.centroids is not None
    nudged = replace(head, centroids=head.centroids + 1e-3)
    other = dumps(replace(model, heads={**model.heads, "topic": nudged}))
    assert same_model(data, dumps(model))
    assert not same_model(data, other)

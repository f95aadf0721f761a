"""Training: the default model from the project's own messages, and an authority's
model from its corrections.

    python -m parvis.inbox.classify.train           # rewrites the shipped model
    python -m parvis.inbox.classify.train --check   # exit 1 if it differs

Deterministic: the same training file, lexicons and library versions give the same
bytes (scikit-learn's L-BFGS logistic regression has no randomness; the folds used to
fit the temperatures are taken in file order).
"""

import argparse
import csv
import hashlib
import sys
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import numpy as np

from parvis.inbox.classify.features import BLOCK_WEIGHTS, analyse, fit_feature_space
from parvis.inbox.classify.files import MODEL_FILE, TRAINING_FILE
from parvis.inbox.classify.model import Head, Model, dumps, same_model

HEADS = ("topic", "intent", "sentiment", "urgency", "abuse")
REGULARISATION = {"topic": 10.0, "intent": 10.0, "sentiment": 5.0, "urgency": 5.0,
                  "abuse": 5.0}  # fmt: skip
CORRECTION_WEIGHT = 3.0  # an authority's own correction counts three times
FOLDS = 5

_TRUE = {"1", "true", "yes", "oui", "vrai", "abus", "abuse"}
_FALSE = {"0", "false", "no", "non", "faux", ""}


def abuse_value(value: str | bool | int | None) -> str:
    """ "1" or "0" for the ways an abuse column is written (1/0, true/false, oui/non)."""
    if isinstance(value, bool | int):
        return "1" if value else "0"
    lowered = (value or "").strip().lower()
    if lowered in _TRUE:
        return "1"
    if lowered in _FALSE:
        return "0"
    raise ValueError(f"Not an abuse value: {value!r}")


def read_examples(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _labels(examples: Sequence[Mapping[str, str]], head: str) -> list[str | None]:
    labels: list[str | None] = []
    for example in examples:
        value = example.get(head)
        if value is None or (head != "abuse" and not str(value).strip()):
            labels.append(None)
        else:
            labels.append(abuse_value(value) if head == "abuse" else value.strip())
    return labels


def fit(
    examples: Sequence[Mapping[str, str]],
    *,
    sample_weights: list[float] | None = None,
    regularisation: Mapping[str, float] | None = None,
    weights: Mapping[str, float] | None = None,
    calibrate: bool = True,
    with_encoder: bool = True,
) -> Model:
    """A model learned from examples (a "text" and any of the HEADS columns), with
    the class centroids of the sentence encoder unless `with_encoder` is false."""
    from sklearn.linear_model import LogisticRegression

    from parvis.inbox.classify import encoder

    regularisation = {**REGULARISATION, **(regularisation or {})}
    analyses = [analyse(example["text"]) for example in examples]
    features = fit_feature_space(analyses, dict(weights or BLOCK_WEIGHTS))
    matrix = features.matrix(analyses)
    weight_array = np.array(sample_weights or [1.0] * len(examples))
    embeddings = encoder.embed([e["text"] for e in examples]) if with_encoder else None
    heads = {}
    for head in HEADS:
        labels = _labels(examples, head)
        rows = [index for index, label in enumerate(labels) if label is not None]
        classes = sorted({labels[index] for index in rows})  # type: ignore[type-var]
        if len(classes) < 2:
            continue
        target = np.array([labels[index] for index in rows])

        def model(c: float = regularisation[head]) -> LogisticRegression:
            return LogisticRegression(C=c, class_weight="balanced", max_iter=3000)

        fitted = model().fit(matrix[rows], target, sample_weight=weight_array[rows])
        coef = fitted.coef_.astype(np.float32)
        intercept = fitted.intercept_.astype(np.float32)
        temperature = (
            _temperature(
                model, matrix[rows], target, weight_array[rows], list(fitted.classes_)
            )
            if calibrate
            else 1.0
        )
        head_classes = tuple(str(c) for c in fitted.classes_)
        heads[head] = Head(
            name=head,
            classes=head_classes,
            coef=coef,
            intercept=intercept,
            temperature=temperature,
            centroids=None
            if embeddings is None
            else encoder.centroids(
                embeddings[rows], [str(label) for label in target], head_classes
            ),
        )
    return Model(features=features, heads=heads, meta={})


def _temperature(model, matrix, target, weights, classes) -> float:  # type: ignore[no-untyped-def]
    """The temperature that makes held-out probabilities most likely: folds in file
    order (every FOLDS-th message), a grid of temperatures, no randomness."""
    count = len(target)
    folds = min(FOLDS, count)
    scores = np.zeros((count, len(classes)))
    position = {label: index for index, label in enumerate(classes)}
    for fold in range(folds):
        held = np.arange(fold, count, folds)
        kept = np.setdiff1d(np.arange(count), held)
        if len(set(target[kept])) < len(classes):
            return 1.0
        fitted = model().fit(matrix[kept], target[kept], sample_weight=weights[kept])
        decision = fitted.decision_function(matrix[held])
        if decision.ndim == 1:
            decision = np.column_stack([np.zeros_like(decision), decision])
        scores[held] = decision
    truth = np.array([position[label] for label in target])
    best, best_loss = 1.0, float("inf")
    for temperature in np.round(np.arange(0.3, 3.01, 0.05), 2):
        scaled = scores / temperature
        scaled -= scaled.max(axis=1, keepdims=True)
        log_probabilities = scaled - np.log(np.exp(scaled).sum(axis=1, keepdims=True))
        loss = -float(log_probabilities[np.arange(count), truth].mean())
        if loss < best_loss - 1e-9:
            best, best_loss = float(temperature), loss
    return best


def train_default() -> bytes:
    """The bytes of the shipped model, from the project's training file."""
    examples = read_examples(TRAINING_FILE)
    model = fit(examples)
    digest = hashlib.sha256(TRAINING_FILE.read_bytes()).hexdigest()
    model.meta.update(
        {"training_file": "parvis/inbox/data/train/messages.csv",
         "training_sha256": digest, "training_messages": len(examples)}
    )  # fmt: skip
    return dumps(model)


def train_from_corrections(
    corrections: Iterable[Mapping[str, str]], *, include_defaults: bool = True
) -> bytes:
    """The bytes of a model learned from an authority's corrections (mappings with a
    "text" and the corrected columns), each counting CORRECTION_WEIGHT times, on top of
    the project's training messages unless `include_defaults` is false."""
    corrections = list(corrections)
    examples: list[Mapping[str, str]] = []
    weights: list[float] = []
    if include_defaults:
        defaults = read_examples(TRAINING_FILE)
        examples += defaults
        weights += [1.0] * len(defaults)
    examples += corrections
    weights += [CORRECTION_WEIGHT] * len(corrections)
    model = fit(examples, sample_weights=weights)
    model.meta.update({"corrections": len(corrections)})
    return dumps(model)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare, do not write")
    args = parser.parse_args(argv)
    data = train_default()
    if args.check:
        same = MODEL_FILE.exists() and same_model(MODEL_FILE.read_bytes(), data)
        print("up to date" if same else f"{MODEL_FILE} differs from a new training")
        return 0 if same else 1
    MODEL_FILE.parent.mkdir(parents=True, exist_ok=True)
    MODEL_FILE.write_bytes(data)
    print(f"{MODEL_FILE}: {len(data):,} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())

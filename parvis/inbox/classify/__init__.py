"""Classification of citizens' messages, offline and deterministic (see classifier.py).

Training, and `train_from_corrections` for an authority's own model: `train.py`.
"""

from parvis.inbox.classify.classifier import (
    COLUMNS,
    Classification,
    classify,
    classify_many,
    default_model,
    least_confident,
)

__all__ = [
    "COLUMNS",
    "Classification",
    "classify",
    "classify_many",
    "default_model",
    "least_confident",
]

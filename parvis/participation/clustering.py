"""Themes of a consultation's contributions: near-duplicates, clusters, labels.

`find_duplicates(texts)` groups the same idea posted twice. Texts are compared in a
normalised form (casefolded, accents and punctuation dropped): equal forms are
duplicates; otherwise MinHash signatures of their 5-letter pieces, banded for
locality-sensitive hashing, propose pairs, kept when the exact Jaccard similarity of
their pieces reaches `DUPLICATE_JACCARD` and no polarity word ("pas", "contre",
"moins"…) tells them apart. Each text points to the first text of its group (a text
only joins a group through its first text, so groups do not chain).

`cluster_texts(texts)` finds themes among the unique texts. Two representations:
the sentence encoder (`path="encoder"`, the default up to `ENCODER_LIMIT` unique
texts) or, for large consultations, TF-IDF over lemmas, lemma pairs and 4-letter
pieces reduced by LSA (`path="fast"`). k-means for every k of a range, the k of the
best cosine silhouette on a fixed sample; a theme smaller than `MIN_THEME_SHARE` of
the texts is dissolved; a text whose similarity to its centroid is an outlier for its
theme goes to "other" (-1). Labels are the lemmas of highest class-based TF-IDF.

`assign(new_texts, clustering)` puts new contributions in the existing themes
without renumbering or renaming them; `rename`, `merge` and `split` are the team's
edits. All are deterministic (fixed seeds, one BLAS thread for the encoder).
"""

import dataclasses
import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
from scipy import sparse
from sklearn.cluster import KMeans
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import silhouette_score

from parvis.nlp.lemmas import STOPWORDS, lemmas
from parvis.nlp.text import normalize, strip_accents, word_set, words

OTHER = -1
ENCODER_LIMIT = 2_000
DUPLICATE_JACCARD = 0.6
MIN_THEME_SHARE = 0.01
LABEL_LEMMAS = 3
SILHOUETTE_SAMPLE = 2_000
FAST_SAMPLE = 2_000
LETTER_WEIGHT = 0.7
RIDGE = 1.0
# Words whose presence in one text and not the other makes two ideas opposite.
POLARITY = word_set("pas non ne n contre pour plus moins sans interdire")
# Words that may differ between two copies of the same idea.
IGNORED = STOPWORDS | word_set("bonjour bonsoir merci svp stp cordialement salut")
Path = Literal["auto", "encoder", "fast"]

_SHINGLE = 5
_BANDS, _ROWS = 16, 4
_MASK64 = (1 << 64) - 1


# --- Near-duplicates -------------------------------------------------------------


def duplicate_key(text: str) -> str:
    """The form in which duplicates are compared: casefolded, no accents, words only."""
    plain = " ".join(words(strip_accents(normalize(text))))
    return plain.replace("-", " ").replace("'", " ")


def _shingle_sets(keys: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """(owner, hash) of the distinct 5-letter pieces of every key, sorted by owner."""
    joined = "\x00".join(keys) + "\x00"
    codes = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    owner = np.repeat(np.arange(len(keys), dtype=np.int32), [len(k) + 1 for k in keys])
    count = len(codes) - _SHINGLE + 1
    if count <= 0:
        return np.zeros(0, np.int64), np.zeros(0, np.uint64)
    hashes = np.zeros(count, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for offset in range(_SHINGLE):
            hashes = hashes * np.uint64(1_000_003) + codes[offset : offset + count]
        hashes ^= hashes >> np.uint64(31)
        hashes *= np.uint64(0x9E3779B97F4A7C15)
    end = np.arange(count) + _SHINGLE - 1
    valid = (owner[:count] == owner[end]) & (codes[end] != 0)
    combined = np.sort(
        (owner[:count][valid].astype(np.uint64) << np.uint64(40))
        | (hashes[valid] >> np.uint64(24))
    )
    combined = combined[np.concatenate([[True], combined[1:] != combined[:-1]])]
    return (
        (combined >> np.uint64(40)).astype(np.int64),
        combined & np.uint64((1 << 40) - 1),
    )


def _signatures(
    owner: np.ndarray, hashes: np.ndarray, count: int, first: int = 0
) -> np.ndarray:
    """MinHash signatures (count x bands*rows); texts without pieces get no match."""
    generator = np.random.default_rng(12345)
    multipliers = generator.integers(1, 1 << 62, _BANDS * _ROWS, dtype=np.uint64) | 1
    offsets = generator.integers(0, 1 << 62, _BANDS * _ROWS, dtype=np.uint64)
    present, starts = np.unique(owner, return_index=True)
    signatures = np.zeros((count, _BANDS * _ROWS), dtype=np.uint64)
    signatures[:] = np.arange(first, first + count, dtype=np.uint64)[:, None]
    signatures += np.uint64(1 << 63)
    if len(present) == 0:
        return signatures
    with np.errstate(over="ignore"):
        for column in range(_BANDS * _ROWS):
            permuted = hashes * multipliers[column] + offsets[column]
            signatures[present, column] = np.minimum.reduceat(permuted, starts)
    return signatures


def _candidate_pairs(signatures: np.ndarray, window: int = 8) -> np.ndarray:
    """(earlier, later) pairs sharing a whole band of their signatures and agreeing
    on enough of the others (an estimate of their Jaccard similarity)."""
    found = []
    index = np.arange(len(signatures))
    with np.errstate(over="ignore"):
        for band in range(_BANDS):
            block = signatures[:, band * _ROWS : (band + 1) * _ROWS]
            keys = block[:, 0].copy()
            for row in range(1, _ROWS):
                keys = keys * np.uint64(0x100000001B3) ^ block[:, row]
            order = np.lexsort((index, keys))
            sorted_keys = keys[order]
            for gap in range(1, window + 1):
                same = np.flatnonzero(sorted_keys[gap:] == sorted_keys[:-gap])
                if not len(same):
                    break
                for chunk in np.array_split(same, len(same) // 100_000 + 1):
                    earlier, later = order[chunk], order[chunk + gap]
                    agreement = (signatures[earlier] == signatures[later]).mean(1)
                    kept = agreement >= DUPLICATE_JACCARD - 0.2
                    found.append(earlier[kept] * len(signatures) + later[kept])
    if not found:
        return np.zeros((0, 2), dtype=np.int64)
    codes = np.unique(np.concatenate(found))
    return np.stack([codes // len(signatures), codes % len(signatures)], axis=1)


def same_idea(first: str, second: str) -> bool:
    """Whether two similar duplicate keys say the same thing: the words of one and
    not the other are typos of each other, politeness or stopwords, or one added
    content word; never a polarity word ("pas", "contre", "moins"…)."""
    first_words, second_words = set(first.split()), set(second.split())
    only_first, only_second = first_words - second_words, second_words - first_words
    if (only_first | only_second) & POLARITY:
        return False
    only_first -= IGNORED
    only_second -= IGNORED
    if min(len(only_first), len(only_second)) > 2 or len(only_first ^ only_second) > 5:
        return False  # more than a couple of typos and an added word
    for word in sorted(only_first):
        typo = next((w for w in sorted(only_second) if _one_edit(word, w)), None)
        if typo is not None:
            only_first.discard(word)
            only_second.discard(typo)
    if only_first and only_second:
        return False  # a content word replaced by another: another idea
    return len(only_first) + len(only_second) <= 1


def _one_edit(first: str, second: str) -> bool:
    """One letter changed, added, removed, or two neighbours swapped."""
    if min(len(first), len(second)) < 4 or abs(len(first) - len(second)) > 1:
        return False
    if len(first) == len(second):
        differ = [
            i for i, (a, b) in enumerate(zip(first, second, strict=True)) if a != b
        ]
        return len(differ) == 1 or (
            len(differ) == 2
            and differ[1] == differ[0] + 1
            and first[differ[0]] == second[differ[1]]
            and first[differ[1]] == second[differ[0]]
        )
    shorter, longer = sorted((first, second), key=len)
    return any(longer[:i] + longer[i + 1 :] == shorter for i in range(len(longer)))


def find_duplicates(texts: Sequence[str]) -> list[int]:
    """For every text, the index of the first text of its near-duplicate group (its
    own index when it is the first or has no duplicate)."""
    keys = [duplicate_key(text) for text in texts]
    first_of: dict[str, int] = {}
    result = [first_of.setdefault(key, position) for position, key in enumerate(keys)]
    unique = [position for position, first in enumerate(result) if first == position]
    unique_keys = [keys[position] for position in unique]
    # In blocks, so that the letter arrays of 100,000 texts never coexist.
    owners, pieces, blocks = [], [], []
    for start in range(0, len(unique_keys), 10_000):
        block_keys = unique_keys[start : start + 10_000]
        block_owner, block_hashes = _shingle_sets(block_keys)
        blocks.append(_signatures(block_owner, block_hashes, len(block_keys), start))
        owners.append((block_owner + start).astype(np.int32))
        pieces.append(block_hashes)
    owner = np.concatenate(owners) if owners else np.zeros(0, np.int32)
    hashes = np.concatenate(pieces) if pieces else np.zeros(0, np.uint64)
    signatures = np.concatenate(blocks) if blocks else np.zeros((0, 64), np.uint64)
    pairs = _candidate_pairs(signatures)
    bounds = np.searchsorted(owner, np.arange(len(unique) + 1))
    leader = list(range(len(unique)))
    pairs = pairs[np.lexsort((pairs[:, 0], pairs[:, 1]))]
    for earlier, later in pairs.tolist():
        if leader[later] != later or leader[earlier] != earlier:
            continue
        if not same_idea(unique_keys[earlier], unique_keys[later]):
            continue
        first = hashes[bounds[earlier] : bounds[earlier + 1]]
        second = hashes[bounds[later] : bounds[later + 1]]
        shared = len(np.intersect1d(first, second, assume_unique=True))
        if shared / (len(first) + len(second) - shared) < DUPLICATE_JACCARD:
            continue
        leader[later] = earlier
    for slot, position in enumerate(unique):
        result[position] = unique[leader[slot]]
    return [result[first] for first in result]


# --- Representations -------------------------------------------------------------


def _identity(terms: list[str]) -> list[str]:
    return terms


def _lemma_terms(found: list[str]) -> list[str]:
    """Lemmas and pairs of consecutive lemmas."""
    return found + [f"{a}_{b}" for a, b in itertools.pairwise(found)]


@dataclass
class FastEmbedder:
    """The sentence encoder's space, reached from TF-IDF by a linear map: the encoder
    embeds a fixed sample of the texts, a ridge regression from the TF-IDF of
    lemmas, lemma pairs and 4-letter pieces (vocabulary and IDF of the sample) to
    those embeddings is fitted, and every text is mapped through it."""

    seed: int = 0
    sample_size: int = FAST_SAMPLE
    weights: np.ndarray = field(default_factory=lambda: np.zeros((0, 512)))
    vectorizers: list[TfidfVectorizer] = field(default_factory=list)
    reference_norm: float = 1.0

    def fit_transform(
        self, texts: list[str], lemma_lists: list[list[str]]
    ) -> np.ndarray:
        generator = np.random.default_rng(self.seed)
        sample = np.sort(generator.permutation(len(texts))[: self.sample_size])
        self.vectorizers = [
            TfidfVectorizer(analyzer=_identity, sublinear_tf=True),
            TfidfVectorizer(analyzer="char_wb", ngram_range=(4, 4), sublinear_tf=True),
        ]
        sampled = sparse.hstack(
            [
                self.vectorizers[0].fit_transform(
                    [_lemma_terms(lemma_lists[i]) for i in sample]
                ),
                LETTER_WEIGHT
                * self.vectorizers[1].fit_transform(_plain([texts[i] for i in sample])),
            ]
        ).tocsr()
        targets = EncoderEmbedder().transform([texts[i] for i in sample])
        kernel = (sampled @ sampled.T).toarray()
        kernel[np.diag_indices_from(kernel)] += RIDGE
        dual = np.linalg.solve(kernel, targets.astype(np.float64))
        self.weights = np.asarray(sampled.T @ dual, dtype=np.float32)
        self.reference_norm = float(np.median(np.linalg.norm(kernel @ dual, axis=1)))
        return self._map(texts, lemma_lists)

    def transform(self, texts: list[str]) -> np.ndarray:
        return self._map(texts, [lemmas(text) for text in texts])

    def _map(self, texts: list[str], lemma_lists: list[list[str]]) -> np.ndarray:
        blocks = []
        for start in range(0, len(texts), 10_000):
            stop = start + 10_000
            matrix = sparse.hstack(
                [
                    self.vectorizers[0].transform(
                        [_lemma_terms(found) for found in lemma_lists[start:stop]]
                    ),
                    LETTER_WEIGHT
                    * self.vectorizers[1].transform(_plain(texts[start:stop])),
                ]
            ).tocsr()
            mapped = np.asarray(matrix @ self.weights)
            # A text with few words known to the map is shortened, so it is far
            # from every theme rather than pointing anywhere.
            norms = np.linalg.norm(mapped, axis=1, keepdims=True)
            blocks.append(mapped / np.maximum(norms, self.reference_norm))
        return np.concatenate(blocks) if blocks else np.zeros((0, 512), np.float32)


@dataclass
class EncoderEmbedder:
    """The multilingual sentence encoder of the inbox (512 dimensions)."""

    def fit_transform(
        self, texts: list[str], lemma_lists: list[list[str]]
    ) -> np.ndarray:
        return self.transform(texts)

    def transform(self, texts: list[str]) -> np.ndarray:
        from parvis.inbox.classify.encoder import embed

        return _unit(embed(texts))


def _plain(texts: list[str]) -> list[str]:
    return [strip_accents(normalize(text)) for text in texts]


def _unit(matrix: np.ndarray) -> np.ndarray:
    matrix = np.asarray(matrix, dtype=np.float32)
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return matrix / np.maximum(norms, 1e-9)


# --- Themes ----------------------------------------------------------------------


@dataclass(frozen=True)
class Theme:
    """A theme: `size` counts every contribution, duplicates included (supporters);
    `representatives` are the indices of the unique texts closest to the centroid;
    a text less similar than `min_similarity` to the centroid is not of the theme."""

    id: int
    label: str
    lemmas: tuple[str, ...]
    size: int
    representatives: tuple[int, ...]
    centroid: np.ndarray
    min_similarity: float
    named: bool = False  # a label given by the team, kept by merge and split


@dataclass(frozen=True)
class Clustering:
    """Themes of `texts`: `assignments[i]` is a theme id or OTHER, `duplicate_of[i]`
    the index of the first text of the same idea. `vectors` and `lemma_matrix` hold
    one row per text (a duplicate has its first text's rows)."""

    texts: tuple[str, ...]
    duplicate_of: tuple[int, ...]
    assignments: tuple[int, ...]
    themes: dict[int, Theme]
    path: str
    vectors: np.ndarray
    lemma_matrix: sparse.csr_matrix
    vocabulary: tuple[str, ...]
    embedder: Any
    representatives_count: int = 3
    seed: int = 0
    next_id: int = 0

    def theme_of(self, index: int) -> Theme | None:
        return self.themes.get(self.assignments[index])


def cluster_texts(
    texts: Sequence[str],
    *,
    path: Path = "auto",
    max_themes: int = 20,
    representatives: int = 3,
    seed: int = 0,
    sample_size: int = FAST_SAMPLE,
) -> Clustering:
    """Group `texts` into themes whose number is chosen by the silhouette (see the
    module docstring). `path` forces the representation ("encoder" or "fast")."""
    texts = tuple(texts)
    duplicate_of = find_duplicates(texts)
    unique = [i for i, first in enumerate(duplicate_of) if first == i]
    slot = {position: number for number, position in enumerate(unique)}
    rows = np.array([slot[first] for first in duplicate_of], dtype=np.int64)
    if path == "auto":
        path = "encoder" if len(unique) <= ENCODER_LIMIT else "fast"
    lemma_lists = [lemmas(texts[i]) for i in unique]
    embedder: Any = (
        EncoderEmbedder() if path == "encoder" else FastEmbedder(seed, sample_size)
    )
    unique_vectors = embedder.fit_transform([texts[i] for i in unique], lemma_lists)
    groups = _kmeans(unique_vectors, max_themes, seed)
    groups = _dissolve_small(unique_vectors, groups)
    order = sorted(set(groups.tolist()), key=lambda g: (-(groups == g).sum(), g))
    renumber = {old: new for new, old in enumerate(order)}
    counter = TfidfVectorizer(analyzer=_identity, use_idf=False, binary=True, norm=None)
    lemma_matrix = counter.fit_transform(lemma_lists).tocsr()
    clustering = Clustering(
        texts=texts,
        duplicate_of=tuple(duplicate_of),
        assignments=tuple(renumber[groups[row]] for row in rows),
        themes={},
        path=path,
        vectors=unique_vectors[rows],
        lemma_matrix=lemma_matrix[rows],
        vocabulary=tuple(counter.get_feature_names_out().tolist()),
        embedder=embedder,
        representatives_count=representatives,
        seed=seed,
        next_id=len(order),
    )
    clustering = _rebuild(clustering, list(range(len(order))))
    # Texts that are outliers of their theme go to "other".
    assignments = list(clustering.assignments)
    similarities = np.einsum(
        "ij,ij->i",
        clustering.vectors,
        np.stack([_centroid_or_zero(clustering, a) for a in assignments]),
    )
    for index, theme in enumerate(assignments):
        if similarities[index] < clustering.themes[theme].min_similarity:
            assignments[index] = OTHER
    clustering = dataclasses.replace(clustering, assignments=tuple(assignments))
    return _rebuild(clustering, list(clustering.themes), keep_threshold=True)


def _centroid_or_zero(clustering: Clustering, theme: int) -> np.ndarray:
    if theme in clustering.themes:
        return clustering.themes[theme].centroid
    return np.zeros(clustering.vectors.shape[1], dtype=np.float32)


def _kmeans(vectors: np.ndarray, max_themes: int, seed: int) -> np.ndarray:
    """Cluster numbers: k-means with the k of the best silhouette on a sample."""
    count = len(vectors)
    if count < 6:
        return np.zeros(count, dtype=np.int64)
    generator = np.random.default_rng(seed)
    sample = np.sort(generator.permutation(count)[:SILHOUETTE_SAMPLE])
    sampled = vectors[sample]
    best: tuple[float, KMeans | None] = (-2.0, None)
    for k in range(2, min(max_themes, len(sample) // 3) + 1):
        model = KMeans(k, n_init=3, random_state=seed).fit(sampled)
        if len(set(model.labels_.tolist())) < 2:
            continue
        score = float(silhouette_score(sampled, model.labels_, metric="cosine"))
        if score > best[0]:
            best = (score, model)
    model = best[1]
    if model is None:
        return np.zeros(count, dtype=np.int64)
    if len(sample) < count:
        model = KMeans(
            model.n_clusters, init=model.cluster_centers_, n_init=1, random_state=seed
        ).fit(vectors)
        return np.asarray(model.labels_, dtype=np.int64)
    return np.asarray(model.labels_, dtype=np.int64)


def _dissolve_small(vectors: np.ndarray, groups: np.ndarray) -> np.ndarray:
    """Groups below MIN_THEME_SHARE of the texts (and singletons) join the nearest
    remaining group."""
    sizes = np.bincount(groups)
    minimum = max(2.0, MIN_THEME_SHARE * len(groups))
    kept = [g for g in range(len(sizes)) if sizes[g] >= minimum]
    if not kept or len(kept) == len(sizes[sizes > 0]):
        return groups
    centroids = _unit(np.stack([vectors[groups == g].mean(axis=0) for g in kept]))
    nearest = np.asarray(kept)[np.argmax(vectors @ centroids.T, axis=1)]
    return np.where(np.isin(groups, kept), groups, nearest)


def _rebuild(
    clustering: Clustering, theme_ids: list[int], keep_threshold: bool = False
) -> Clustering:
    """Clustering with the themes `theme_ids` recomputed from their members."""
    assignments = np.asarray(clustering.assignments)
    unique = np.asarray(clustering.duplicate_of) == np.arange(len(assignments))
    matrix = clustering.lemma_matrix[unique]
    background = np.asarray(matrix.sum(axis=0)).ravel() / max(1, matrix.shape[0])
    themes = dict(clustering.themes)
    for theme_id in theme_ids:
        members = np.flatnonzero((assignments == theme_id) & unique)
        previous = themes.get(theme_id)
        if len(members) == 0:
            themes.pop(theme_id, None)
            continue
        vectors = clustering.vectors[members]
        centroid = _unit(vectors.mean(axis=0, keepdims=True))[0]
        similarities = vectors @ centroid
        if keep_threshold and previous is not None:
            threshold = previous.min_similarity
        else:
            median = float(np.median(similarities))
            spread = float(np.median(np.abs(similarities - median))) * 1.4826
            # An outlier by a robust rule, at most ~2 % of the theme, and in any case
            # a text less than half as similar as the theme's typical member.
            threshold = max(
                min(
                    median - 3.5 * max(spread, 0.03),
                    float(np.quantile(similarities, 0.02)),
                ),
                median / 2,
            )
        best = np.lexsort((members, -similarities))[: clustering.representatives_count]
        found = _label_lemmas(clustering.lemma_matrix[members], background, clustering)
        named = previous is not None and previous.named
        themes[theme_id] = Theme(
            id=theme_id,
            label=previous.label if named and previous else " · ".join(found),
            lemmas=found,
            size=int((assignments == theme_id).sum()),
            representatives=tuple(int(members[i]) for i in best),
            centroid=centroid,
            min_similarity=threshold,
            named=named,
        )
    return dataclasses.replace(clustering, themes=dict(sorted(themes.items())))


def _label_lemmas(
    members: sparse.csr_matrix, background: np.ndarray, clustering: Clustering
) -> tuple[str, ...]:
    """Class-based TF-IDF: the share of the theme's texts with a lemma, times the log
    of how much more frequent it is in the theme than in all texts."""
    share = np.asarray(members.sum(axis=0)).ravel() / max(1, members.shape[0])
    with np.errstate(divide="ignore", invalid="ignore"):
        scores = share * np.log(share / background)
    scores[
        ~np.isfinite(scores) | (share * members.shape[0] < min(2, members.shape[0]))
    ] = 0
    if not (scores > 0).any():
        scores = share  # one theme only: its most frequent lemmas
    best = [int(i) for i in np.lexsort((np.arange(len(scores)), -scores))]
    return tuple(clustering.vocabulary[i] for i in best[:LABEL_LEMMAS] if scores[i] > 0)


# --- Stability and the team's edits ----------------------------------------------


def assign(new_texts: Sequence[str], clustering: Clustering) -> Clustering:
    """`clustering` with `new_texts` appended: a duplicate of a known idea joins its
    theme; another text joins the nearest theme if similar enough, else OTHER.
    Existing themes keep their ids, labels, centroids and thresholds; only their
    sizes grow. A full re-clustering is a separate call to `cluster_texts`."""
    new_texts = tuple(new_texts)
    if not new_texts:
        return clustering
    known = len(clustering.texts)
    texts = clustering.texts + new_texts
    duplicate_of = find_duplicates(texts)[known:]
    fresh = [i for i, first in enumerate(duplicate_of, known) if first == i]
    slot = {position: known + number for number, position in enumerate(fresh)}
    fresh_vectors = clustering.embedder.transform([texts[i] for i in fresh])
    fresh_lemmas = _lemma_rows(clustering, [texts[i] for i in fresh])
    vectors = np.concatenate([clustering.vectors, fresh_vectors])
    lemma_matrix = sparse.vstack([clustering.lemma_matrix, fresh_lemmas]).tocsr()
    # Row of each new text in the arrays above: its own, or its first text's.
    rows = [first if first < known else slot[first] for first in duplicate_of]
    themes = list(clustering.themes.values())
    fresh_themes = np.full(len(fresh), OTHER)
    if themes and fresh:
        similarities = fresh_vectors @ np.stack([theme.centroid for theme in themes]).T
        nearest = np.argmax(similarities, axis=1)
        for number, choice in enumerate(nearest):
            if similarities[number, choice] >= themes[choice].min_similarity:
                fresh_themes[number] = themes[choice].id
    assignments = list(clustering.assignments) + [OTHER] * len(new_texts)
    for index, row in enumerate(rows, known):
        assignments[index] = (
            assignments[row] if row < known else int(fresh_themes[row - known])
        )
    sizes = np.bincount(np.asarray(assignments) + 1, minlength=clustering.next_id + 1)
    return dataclasses.replace(
        clustering,
        texts=texts,
        duplicate_of=clustering.duplicate_of + tuple(duplicate_of),
        assignments=tuple(assignments),
        vectors=np.concatenate([clustering.vectors, vectors[rows]]),
        lemma_matrix=sparse.vstack(
            [clustering.lemma_matrix, lemma_matrix[rows]]
        ).tocsr(),
        themes={
            key: dataclasses.replace(theme, size=int(sizes[key + 1]))
            for key, theme in clustering.themes.items()
        },
    )


def _lemma_rows(clustering: Clustering, texts: list[str]) -> sparse.csr_matrix:
    """Binary lemma rows of `texts` over the clustering's vocabulary."""
    columns = {lemma: number for number, lemma in enumerate(clustering.vocabulary)}
    matrix = sparse.lil_matrix((len(texts), len(columns)), dtype=np.float64)
    for row, text in enumerate(texts):
        for lemma in set(lemmas(text)):
            if lemma in columns:
                matrix[row, columns[lemma]] = 1.0
    return matrix.tocsr()


def rename(clustering: Clustering, theme: int, label: str) -> Clustering:
    """The theme `theme` labelled `label` by the team (kept by later merges)."""
    renamed = dataclasses.replace(clustering.themes[theme], label=label, named=True)
    return dataclasses.replace(clustering, themes={**clustering.themes, theme: renamed})


def merge(clustering: Clustering, keep: int, absorbed: int) -> Clustering:
    """The contributions of `absorbed` join `keep`, which keeps its id; `absorbed`
    disappears. The label is recomputed unless the team named `keep`."""
    if keep == absorbed:
        return clustering
    assignments = tuple(keep if a == absorbed else a for a in clustering.assignments)
    themes = {k: t for k, t in clustering.themes.items() if k != absorbed}
    merged = dataclasses.replace(clustering, assignments=assignments, themes=themes)
    return _rebuild(merged, [keep])


def split(clustering: Clustering, theme: int, k: int = 2) -> Clustering:
    """`theme` cut in `k` by k-means on its contributions: the largest part keeps the
    id (and a name given by the team), the others get new ids."""
    assignments = np.asarray(clustering.assignments)
    unique = np.asarray(clustering.duplicate_of) == np.arange(len(assignments))
    members = np.flatnonzero((assignments == theme) & unique)
    if len(members) < k:
        return clustering
    model = KMeans(k, n_init=3, random_state=clustering.seed)
    parts = model.fit_predict(clustering.vectors[members])
    order = sorted(range(k), key=lambda p: (-(parts == p).sum(), p))
    new_ids = {
        part: theme if n == 0 else clustering.next_id + n - 1
        for n, part in enumerate(order)
    }
    part_of_member = dict(zip(members.tolist(), parts.tolist(), strict=True))
    duplicate_of = clustering.duplicate_of
    updated = [
        new_ids[part_of_member[duplicate_of[i]]] if a == theme else a
        for i, a in enumerate(clustering.assignments)
    ]
    result = dataclasses.replace(
        clustering, assignments=tuple(updated), next_id=clustering.next_id + k - 1
    )
    return _rebuild(result, sorted(new_ids.values()))

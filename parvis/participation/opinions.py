"""Opinion groups of a participation: who votes alike, what each group stands for, and
what everyone shares. The method follows the one published for Polis (Small et al.
2021, "Polis: Scaling deliberation by mapping high dimensional opinion spaces"),
written here from the paper.

Input: votes `(participant, statement, vote)`, ids as strings, vote 1 (agree),
-1 (disagree) or 0 (pass). When a participant votes twice on a statement, the last
vote counts.

1. **Exclusion.** A participant with fewer than `min_votes` votes (default:
   min(7, number of statements)) is left out of the grouping, and counted in
   `participants_excluded`; their votes still count in the statement totals.
2. **Projection.** The matrix participants × statements holds the votes; a missing
   vote is imputed with the statement's mean vote among the grouped participants who
   voted on it, then every column is centred. Together, both steps leave exactly the
   sparse matrix of `vote - statement mean` on the votes cast (zero elsewhere), whose
   leading singular vectors (randomised SVD, fixed seed) are the principal
   components. A participant's coordinates are multiplied by sqrt(number of
   statements / number of their votes), so that a participant who voted little is not
   pulled to the centre by the imputed means.
3. **Structure.** The same is computed for the votes shuffled among the voters of
   each statement (3 fixed shuffles: same totals, no shared opinion left). A
   component stands out when its singular value is at least `structure_ratio` (1.1)
   times the largest shuffled one of the same rank (Horn's parallel analysis). None
   standing out: one group ("no group structure"), as with fewer than 10 grouped
   participants.
4. **Groups.** k-means (fixed seed) on the participants' coordinates for k = 2 …
   `max_groups`, at most one group per 5 grouped participants; k is the one with the
   best silhouette score (on a fixed sample of at most 3,000 participants). The
   coordinates are those of the components standing out, at least 2 (the Polis map)
   and at most `max_groups - 1` (`dimensions` fixes the number): k groups of opposed
   opinions span k - 1 dimensions, and 4 or 5 such groups overlap on a plane. Group 1
   is the largest.
5. **Representative statements** of a group g, for each statement and direction
   (agree, disagree): with `x` the votes in that direction and `n` all the votes
   seen (passes included) among g's members, and the same among the other grouped
   participants, `p_group = (x_g + 1) / (n_g + 2)`, `p_others = (x_o + 1) /
   (n_o + 2)`, `ratio = p_group / p_others`. The statement is representative when
   p_group > 0.5 (the group's majority takes that side) and a one-sided
   two-proportion z-test on the same smoothed counts (pooled proportion) gives
   z > 1.2816 (90 %). Consensus statements (below, before the `top_consensus` cut)
   are never representative: they unite the groups. Each group keeps its
   `top_representative` statements of highest ratio. One group has none.
6. **Consensus.** A statement is a consensus of agreement when, in every group, it has
   at least `consensus_min_votes` votes and `p_agree = (agrees + 1) / (votes + 2)` is
   at least `consensus_threshold` (default 0.6); a consensus of disagreement likewise
   with disagrees. Each list is ordered by the smallest of the groups' p (then by
   statement id) and keeps `top_consensus` statements.

Deterministic: the same votes give the same result.
"""

from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy import sparse
from sklearn.cluster import KMeans
from sklearn.metrics import silhouette_score
from sklearn.utils.extmath import randomized_svd, svd_flip
from threadpoolctl import threadpool_limits

AGREE, DISAGREE, PASS = 1, -1, 0
VOTES = frozenset({AGREE, DISAGREE, PASS})
MIN_PARTICIPANTS = 10  # fewer grouped participants: one group
MIN_GROUP_SIZE = 5  # k is at most (grouped participants / 5)
SILHOUETTE_SAMPLE = 3000
Z_90 = 1.2816  # one-sided 90 %
SEED = 0
SHUFFLES = 3  # shuffled copies of the votes, for the structure test
KMEANS_RUNS = 4  # k-means starts per k; the best (lowest inertia) is kept

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class RepresentativeStatement:
    statement: str
    direction: str  # "agree" or "disagree"
    p_group: float
    p_others: float
    ratio: float
    z: float
    votes_group: int


@dataclass(frozen=True)
class OpinionGroup:
    number: int  # 1 for the largest group
    members: tuple[str, ...]
    representative: tuple[RepresentativeStatement, ...]

    @property
    def size(self) -> int:
        return len(self.members)


@dataclass(frozen=True)
class ConsensusStatement:
    statement: str
    p_min: float
    p_by_group: tuple[float, ...]  # in the order of the groups
    votes_by_group: tuple[int, ...]


@dataclass(frozen=True)
class StatementTotals:
    """Every participant's votes, excluded participants included."""

    statement: str
    agree: int
    disagree: int
    passed: int


@dataclass(frozen=True)
class OpinionAnalysis:
    groups: tuple[OpinionGroup, ...]
    consensus_agree: tuple[ConsensusStatement, ...]
    consensus_disagree: tuple[ConsensusStatement, ...]
    statements: tuple[StatementTotals, ...]
    participants: int
    participants_excluded: int
    min_votes: int
    silhouettes: dict[int, float] = field(default_factory=dict)  # k tried -> score
    note: str = ""  # why there is a single group, when there is

    @property
    def k(self) -> int:
        return len(self.groups)

    def to_json(self) -> dict[str, Any]:
        """Plain dicts, lists, strings and numbers, ready for `json.dumps`."""
        return {
            "participants": self.participants,
            "participants_grouped": self.participants - self.participants_excluded,
            "participants_excluded": self.participants_excluded,
            "min_votes": self.min_votes,
            "k": self.k,
            "silhouettes": [
                {"k": k, "silhouette": round(score, 4)}
                for k, score in sorted(self.silhouettes.items())
            ],
            "note": self.note,
            "groups": [
                {
                    "number": group.number,
                    "size": group.size,
                    "members": list(group.members),
                    "representative": [
                        _rounded(asdict(item)) for item in group.representative
                    ],
                }
                for group in self.groups
            ],
            "consensus_agree": [_rounded(asdict(c)) for c in self.consensus_agree],
            "consensus_disagree": [
                _rounded(asdict(c)) for c in self.consensus_disagree
            ],
            "statements": [asdict(totals) for totals in self.statements],
        }


def _rounded(values: dict[str, Any]) -> dict[str, Any]:
    def rounded(value: Any) -> Any:
        if isinstance(value, float):
            return round(value, 4)
        if isinstance(value, tuple | list):
            return [rounded(item) for item in value]
        return value

    return {key: rounded(value) for key, value in values.items()}


@dataclass
class _Votes:
    """Votes as index arrays, one entry per (participant, statement)."""

    participant_ids: list[str]
    statement_ids: list[str]
    rows: IntArray
    columns: IntArray
    values: IntArray


def _read_votes(votes: Iterable[tuple[str, str, int]]) -> _Votes:
    participants: dict[str, int] = {}
    statements: dict[str, int] = {}
    rows: list[int] = []
    columns: list[int] = []
    values: list[int] = []
    for participant, statement, vote in votes:
        if vote not in VOTES:
            raise ValueError(
                f"Vote of {participant!r} on {statement!r} is {vote!r}: "
                "expected 1 (agree), -1 (disagree) or 0 (pass)."
            )
        rows.append(participants.setdefault(participant, len(participants)))
        columns.append(statements.setdefault(statement, len(statements)))
        values.append(int(vote))
    row_array = np.asarray(rows, dtype=np.int64)
    column_array = np.asarray(columns, dtype=np.int64)
    # The last vote of a pair wins: unique keys of the reversed sequence.
    keys = row_array * max(len(statements), 1) + column_array
    _, reversed_first = np.unique(keys[::-1], return_index=True)
    last = len(keys) - 1 - reversed_first
    return _Votes(
        participant_ids=list(participants),
        statement_ids=list(statements),
        rows=row_array[last],
        columns=column_array[last],
        values=np.asarray(values, dtype=np.int64)[last],
    )


def _components(
    rows: IntArray,
    columns: IntArray,
    values: FloatArray,
    shape: tuple[int, int],
    count: int,
) -> tuple[FloatArray, FloatArray]:
    """Participants' scores on the first `count` principal components, and the
    singular values of these components."""
    n_participants, n_statements = shape
    voted = np.bincount(columns, minlength=n_statements)
    sums = np.bincount(columns, weights=values, minlength=n_statements)
    means = sums / np.maximum(voted, 1)
    # Imputing the mean then centring leaves (vote - mean) on the votes, 0 elsewhere.
    centred = sparse.csr_matrix(
        (values - means[columns], (rows, columns)), shape=shape, dtype=np.float64
    )
    computed = min(count, n_statements, n_participants)
    left, singular, right = randomized_svd(
        centred, n_components=computed, n_iter=7, random_state=SEED
    )
    left, right = svd_flip(left, right)
    scores = np.zeros((n_participants, count))
    scores[:, :computed] = left * singular
    return scores, np.pad(singular, (0, count - computed))


def _shuffled(values: FloatArray, columns: IntArray, seed: int) -> FloatArray:
    """The votes of every statement shuffled among its voters: same statements, same
    voters, same totals, no correlation left between statements."""
    generator = np.random.default_rng(seed)
    by_column = np.argsort(columns, kind="stable")
    shuffled_by_column = np.lexsort((generator.random(len(columns)), columns))
    result = values.copy()
    result[by_column] = values[shuffled_by_column]
    return result


def _silhouettes(
    points: FloatArray, ks: range
) -> tuple[dict[int, float], dict[int, IntArray]]:
    scores: dict[int, float] = {}
    labels: dict[int, IntArray] = {}
    sample = min(len(points), SILHOUETTE_SAMPLE)
    for k in ks:
        found = KMeans(n_clusters=k, n_init=KMEANS_RUNS, random_state=SEED).fit_predict(
            points
        )
        if len(np.unique(found)) < 2:
            continue
        scores[k] = float(
            silhouette_score(points, found, sample_size=sample, random_state=SEED)
        )
        labels[k] = found.astype(np.int64)
    return scores, labels


def _grouping(
    rows: IntArray,
    columns: IntArray,
    values: FloatArray,
    shape: tuple[int, int],
    *,
    max_groups: int,
    structure_ratio: float,
    dimensions: int | None,
) -> tuple[IntArray, dict[int, float], str]:
    """Group labels (0 for the largest group), silhouettes per k, and why there is
    a single group when there is."""
    n, n_statements = shape
    single = np.zeros(n, dtype=np.int64)
    if n == 0:
        return single, {}, "no participant has enough votes"
    if n < MIN_PARTICIPANTS:
        return single, {}, f"fewer than {MIN_PARTICIPANTS} participants to group"
    ks = range(2, min(max_groups, n // MIN_GROUP_SIZE) + 1)
    if len(ks) == 0:
        return single, {}, "a single group asked for"
    count = max(2, max_groups - 1, dimensions or 0)
    scores, singular = _components(rows, columns, values, shape, count)
    shuffled = [
        _components(rows, columns, _shuffled(values, columns, seed), shape, count)[1]
        for seed in range(SHUFFLES)
    ]
    noise = np.max(shuffled, axis=0)
    above = (singular > 1e-9) & (singular >= structure_ratio * noise)
    standing_out = count if above.all() else int(np.argmin(above))
    if standing_out == 0:
        return (
            single,
            {},
            "no group structure: the first principal component is not "
            f"{structure_ratio:g} times above that of the votes shuffled within "
            f"each statement (singular values {singular[0]:.1f} and {noise[0]:.1f})",
        )
    used = dimensions or min(max(standing_out, 2), count)
    votes_cast = np.bincount(rows, minlength=n)
    projection = scores[:, :used] * np.sqrt(n_statements / votes_cast)[:, None]
    silhouettes, labels = _silhouettes(projection, ks)
    if not silhouettes:
        return single, {}, "no group structure: k-means found a single group"
    best = max(silhouettes, key=lambda k: (silhouettes[k], -k))
    found = labels[best]
    sizes = np.bincount(found, minlength=best)
    firsts = [int(np.flatnonzero(found == label)[0]) for label in range(best)]
    order = sorted(range(best), key=lambda label: (-sizes[label], firsts[label]))
    relabel = np.empty(best, dtype=np.int64)
    relabel[order] = np.arange(best)
    return relabel[found], silhouettes, ""


def _smoothed(count: FloatArray, total: FloatArray) -> FloatArray:
    return (count + 1) / (total + 2)


def _representative(
    group: int,
    directions: dict[str, FloatArray],
    seen: FloatArray,
    skipped: npt.NDArray[np.bool_],
    statement_ids: list[str],
) -> list[RepresentativeStatement]:
    """Representative statements of `group`, highest ratio first (none when the
    group is alone)."""
    if len(seen) < 2:
        return []
    n_group = seen[group]
    n_others = seen.sum(axis=0) - n_group
    candidates: list[RepresentativeStatement] = []
    for direction, counts in directions.items():
        x_group = counts[group]
        x_others = counts.sum(axis=0) - x_group
        p_group = _smoothed(x_group, n_group)
        p_others = _smoothed(x_others, n_others)
        pooled = (x_group + x_others + 2) / (n_group + n_others + 4)
        spread = np.sqrt(
            pooled * (1 - pooled) * (1 / (n_group + 2) + 1 / (n_others + 2))
        )
        z = (p_group - p_others) / spread
        keep = (p_group > 0.5) & (z > Z_90) & ~skipped
        candidates.extend(
            RepresentativeStatement(
                statement=statement_ids[s],
                direction=direction,
                p_group=float(p_group[s]),
                p_others=float(p_others[s]),
                ratio=float(p_group[s] / p_others[s]),
                z=float(z[s]),
                votes_group=int(n_group[s]),
            )
            for s in np.flatnonzero(keep)
        )
    candidates.sort(key=lambda item: (-item.ratio, -item.z, item.statement))
    return candidates


def _consensus(
    counts: FloatArray,
    seen: FloatArray,
    statement_ids: list[str],
    *,
    threshold: float,
    min_votes: int,
) -> list[ConsensusStatement]:
    """Every consensus statement in the direction of `counts`, strongest first."""
    if not len(counts):
        return []
    p = _smoothed(counts, seen)
    p_min = p.min(axis=0)
    found = (p_min >= threshold) & (seen.min(axis=0) >= min_votes)
    statements = [
        ConsensusStatement(
            statement=statement_ids[s],
            p_min=float(p_min[s]),
            p_by_group=tuple(float(value) for value in p[:, s]),
            votes_by_group=tuple(int(value) for value in seen[:, s]),
        )
        for s in np.flatnonzero(found)
    ]
    return sorted(statements, key=lambda item: (-item.p_min, item.statement))


def analyse_opinions(
    votes: Iterable[tuple[str, str, int]],
    *,
    min_votes: int | None = None,
    max_groups: int = 5,
    top_representative: int = 5,
    consensus_threshold: float = 0.6,
    consensus_min_votes: int = 5,
    top_consensus: int = 10,
    structure_ratio: float = 1.1,
    dimensions: int | None = None,
) -> OpinionAnalysis:
    """Opinion groups, their representative statements and the consensus statements
    of `votes` (method and exact definitions in the module docstring). ValueError
    for a vote other than 1, -1 or 0."""
    data = _read_votes(votes)
    n_participants = len(data.participant_ids)
    n_statements = len(data.statement_ids)
    agree = data.values == AGREE
    disagree = data.values == DISAGREE
    statement_agree = np.bincount(data.columns[agree], minlength=n_statements)
    statement_disagree = np.bincount(data.columns[disagree], minlength=n_statements)
    statement_votes = np.bincount(data.columns, minlength=n_statements)
    totals = tuple(
        StatementTotals(
            statement=statement,
            agree=int(statement_agree[s]),
            disagree=int(statement_disagree[s]),
            passed=int(statement_votes[s] - statement_agree[s] - statement_disagree[s]),
        )
        for s, statement in enumerate(data.statement_ids)
    )
    threshold = min(7, n_statements) if min_votes is None else min_votes
    votes_cast = np.bincount(data.rows, minlength=n_participants)
    eligible = np.flatnonzero(votes_cast >= max(threshold, 1))
    position = np.full(n_participants, -1, dtype=np.int64)
    position[eligible] = np.arange(len(eligible))
    kept = position[data.rows] >= 0
    rows, columns = position[data.rows][kept], data.columns[kept]
    grouped_shape = (len(eligible), n_statements)

    # One thread for numpy, scipy and scikit-learn: on matrices this thin, threads
    # cost more than they save, and far more when another process holds a core.
    with threadpool_limits(limits=1):
        labels, silhouettes, note = _grouping(
            rows,
            columns,
            data.values[kept].astype(np.float64),
            grouped_shape,
            max_groups=max_groups,
            structure_ratio=structure_ratio,
            dimensions=dimensions,
        )
    k = int(labels.max()) + 1 if len(labels) else 0
    cells = labels[rows] * n_statements + columns
    size = k * n_statements

    def per_group(mask: npt.NDArray[np.bool_]) -> FloatArray:
        counted = np.bincount(cells[mask], minlength=size).astype(np.float64)
        return counted.reshape(k, n_statements)

    directions = {
        "agree": per_group(agree[kept]),
        "disagree": per_group(disagree[kept]),
    }
    seen = per_group(np.ones(len(cells), dtype=bool))
    consensus = {
        direction: _consensus(
            counts,
            seen,
            data.statement_ids,
            threshold=consensus_threshold,
            min_votes=consensus_min_votes,
        )
        for direction, counts in directions.items()
    }
    # Every consensus statement, beyond the `top_consensus` shown too.
    unites = {item.statement for items in consensus.values() for item in items}
    in_consensus = np.array([statement in unites for statement in data.statement_ids])
    groups = tuple(
        OpinionGroup(
            number=group + 1,
            members=tuple(
                sorted(data.participant_ids[p] for p in eligible[labels == group])
            ),
            representative=tuple(
                _representative(
                    group, directions, seen, in_consensus, data.statement_ids
                )[:top_representative]
            ),
        )
        for group in range(k)
    )
    return OpinionAnalysis(
        groups=groups,
        consensus_agree=tuple(consensus["agree"][:top_consensus]),
        consensus_disagree=tuple(consensus["disagree"][:top_consensus]),
        statements=totals,
        participants=n_participants,
        participants_excluded=n_participants - len(eligible),
        min_votes=threshold,
        silhouettes=silhouettes,
        note=note,
    )

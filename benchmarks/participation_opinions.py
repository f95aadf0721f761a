"""Opinion groups of a participation: `analyse_opinions()` on 10,000 participants ×
1,000 statements with sparse votes. Target: under 10 s.

The votes are planted: four opinion groups of unequal sizes (40, 30, 20 and 10 % of
the participants); each group agrees with its own block of statements and disagrees
with the other groups' blocks, and everyone agrees with 40 consensus statements. Every
vote is flipped with probability 0.1, and each participant votes on 5 to 10 % of the
statements (about 750,000 votes). The time covers the whole analysis from the list of
`(participant, statement, vote)` tuples (ids are strings); the adjusted Rand index
compares the groups found with the planted ones, on the participants grouped (the
lowest of the runs is reported).

    .venv/bin/python benchmarks/participation_opinions.py            # 3 runs
    .venv/bin/python benchmarks/participation_opinions.py --quick    # 2,000 × 300, 1 run
"""

import argparse
import json
import resource
import statistics
import sys
import time
from pathlib import Path

import numpy as np
from sklearn.metrics import adjusted_rand_score

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from parvis.participation.opinions import analyse_opinions  # noqa: E402

GROUP_SHARES = (0.4, 0.3, 0.2, 0.1)
CONSENSUS = 40
FLIP = 0.1
DENSITY = (0.05, 0.10)


def planted_votes(
    participants: int, statements: int, seed: int
) -> tuple[list[tuple[str, str, int]], dict[str, int]]:
    """Votes and the planted group of every participant."""
    generator = np.random.default_rng(seed)
    groups = len(GROUP_SHARES)
    truth = generator.choice(groups, size=participants, p=GROUP_SHARES)
    block = (statements - CONSENSUS) // groups
    owner = np.full(statements, -1)
    owner[: block * groups] = np.repeat(np.arange(groups), block)
    density = generator.uniform(*DENSITY, size=participants)
    voted = generator.random((participants, statements)) < density[:, None]
    rows, columns = np.nonzero(voted)
    opinion = np.where(owner[columns] == truth[rows], 1, -1)
    opinion[owner[columns] == -1] = 1
    flipped = generator.random(len(rows)) < FLIP
    opinion[flipped] = -opinion[flipped]
    names = [f"participant-{index}" for index in range(participants)]
    statement_names = [f"statement-{index}" for index in range(statements)]
    votes = [
        (names[row], statement_names[column], vote)
        for row, column, vote in zip(
            rows.tolist(), columns.tolist(), opinion.tolist(), strict=True
        )
    ]
    return votes, {names[index]: int(group) for index, group in enumerate(truth)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--participants", type=int, default=10_000)
    parser.add_argument("--statements", type=int, default=1_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    if args.quick:
        args.participants, args.statements, args.repeat = 2_000, 300, 1
    durations = []
    scores = []
    ks = []
    votes_count = 0
    for repetition in range(args.repeat):
        votes, truth = planted_votes(args.participants, args.statements, repetition)
        votes_count = len(votes)
        started = time.perf_counter()
        result = analyse_opinions(votes)
        elapsed = time.perf_counter() - started
        found = {
            member: group.number for group in result.groups for member in group.members
        }
        score = adjusted_rand_score(
            [truth[member] for member in found], list(found.values())
        )
        durations.append(elapsed)
        scores.append(score)
        ks.append(result.k)
        print(
            f"run {repetition + 1}: {len(votes)} votes in {elapsed:.2f} s, "
            f"k={result.k}, ARI {score:.3f}, "
            f"{result.participants_excluded} participants excluded, "
            f"{len(result.consensus_agree)} consensus statements",
            flush=True,
        )
    print(
        json.dumps(
            {
                "participants": args.participants,
                "statements": args.statements,
                "votes": votes_count,
                "median_seconds": round(statistics.median(durations), 3),
                "runs": [round(duration, 3) for duration in durations],
                "peak_rss_mb": round(
                    resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1
                ),
                "adjusted_rand_index": round(min(scores), 3),
                "k_chosen": ks,
                "k_planted": len(GROUP_SHARES),
            }
        )
    )


if __name__ == "__main__":
    main()

"""Precision, recall and F1 per label, and macro-F1 per column, for labelled messages.

Macro-F1 is the plain mean of the F1 of every label present in the truth or in the
predictions of that column (a label never predicted and never true is left out).
"""

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class LabelScore:
    label: str
    precision: float
    recall: float
    f1: float
    support: int  # how many messages truly have the label


@dataclass(frozen=True)
class ColumnScore:
    column: str
    labels: list[LabelScore]
    macro_f1: float
    accuracy: float
    count: int
    confusions: list[tuple[str, str, int]]  # (true, predicted, count), most first


def score_column(
    column: str, truth: Sequence[str], predicted: Sequence[str]
) -> ColumnScore:
    pairs = list(zip(truth, predicted, strict=True))
    true_counts = Counter(truth)
    predicted_counts = Counter(predicted)
    hits = Counter(t for t, p in pairs if t == p)
    labels = []
    for label in sorted(set(true_counts) | set(predicted_counts)):
        precision = (
            hits[label] / predicted_counts[label] if predicted_counts[label] else 0.0
        )
        recall = hits[label] / true_counts[label] if true_counts[label] else 0.0
        f1 = (
            2 * precision * recall / (precision + recall) if precision + recall else 0.0
        )
        labels.append(LabelScore(label, precision, recall, f1, true_counts[label]))
    confusions = Counter((t, p) for t, p in pairs if t != p)
    return ColumnScore(
        column=column,
        labels=labels,
        macro_f1=sum(s.f1 for s in labels) / len(labels) if labels else 0.0,
        accuracy=sum(hits.values()) / len(pairs) if pairs else 0.0,
        count=len(pairs),
        confusions=[(t, p, n) for (t, p), n in confusions.most_common()],
    )


def format_report(scores: Sequence[ColumnScore], confusions: int = 3) -> str:
    """A plain-text table per column: label, precision, recall, F1, support."""
    lines = []
    for score in scores:
        lines.append(
            f"{score.column}: macro-F1 {score.macro_f1:.3f}, accuracy "
            f"{score.accuracy:.3f} ({score.count} messages)"
        )
        lines.append(
            f"  {'label':<14} {'precision':>9} {'recall':>7} {'F1':>6} {'support':>8}"
        )
        for label in score.labels:
            lines.append(
                f"  {label.label:<14} {label.precision:>9.3f} {label.recall:>7.3f} "
                f"{label.f1:>6.3f} {label.support:>8}"
            )
        if score.confusions[:confusions]:
            worst = ", ".join(
                f"{t}→{p} ({n})" for t, p, n in score.confusions[:confusions]
            )
            lines.append(f"  most confused: {worst}")
        lines.append("")
    return "\n".join(lines)

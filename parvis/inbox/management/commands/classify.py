"""`parvis classify INPUT.csv [--output OUT.csv]`: topic, intent, sentiment, urgency,
competent level and abuse of every message of a CSV file, with the default model.

`parvis classify --evaluate LABELLED.csv [--split dev]`: precision, recall and F1 per
label, and macro-F1, for every label column of the file.

The file is UTF-8 (a byte-order mark is accepted), separated by commas, semicolons or
tabs, with a `text` column; every other column is kept as it is. Rows are read and
written in batches, so a file of any length is classified in constant memory.
"""

import codecs
import csv
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from parvis.inbox.classify.classifier import COLUMNS, Classification, classify_many
from parvis.inbox.classify.evaluate import format_report, score_column
from parvis.inbox.classify.train import abuse_value
from parvis.inbox.personal_data import mask

BATCH = 1000
OUTPUT_COLUMNS = [*COLUMNS, *(f"confidence_{column}" for column in COLUMNS)]


def check_input(path: Path) -> str:
    """The delimiter of a readable CSV file with a `text` column; CommandError with
    a plain explanation otherwise. Reads the file once, in pieces."""
    if not path.is_file():
        raise CommandError(f"No such file: {path}")
    with path.open("rb") as handle:
        decoder = codecs.getincrementaldecoder("utf-8")()
        line = 1
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as error:
                line += chunk[: max(error.start, 0)].count(b"\n")
                raise CommandError(
                    f"{path} is not UTF-8 text (bad byte on line {line}). "
                    "Save it as « CSV UTF-8 » and try again."
                ) from error
            line += chunk.count(b"\n")
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError as error:
            raise CommandError(
                f"{path} is not UTF-8 text (it ends mid-character)."
            ) from error
    with path.open(encoding="utf-8-sig", newline="") as handle:
        header = handle.readline()
    if not header.strip():
        raise CommandError(
            f"{path} is empty: a header line with a `text` column is needed."
        )
    delimiter = max(",;\t", key=header.count)
    columns = next(csv.reader([header], delimiter=delimiter))
    if "text" not in [column.strip() for column in columns]:
        raise CommandError(
            f"{path} has no `text` column (columns found: {', '.join(columns)})."
        )
    return delimiter


def read_rows(path: Path, delimiter: str) -> Iterator[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle, delimiter=delimiter)
        reader.fieldnames = [name.strip() for name in reader.fieldnames or []]
        for row in reader:
            yield {key: value or "" for key, value in row.items() if key is not None}


def batches(
    rows: Iterator[dict[str, str]], size: int
) -> Iterator[list[dict[str, str]]]:
    batch: list[dict[str, str]] = []
    for row in rows:
        batch.append(row)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def output_values(result: Classification) -> dict[str, str]:
    values = {
        "topic": result.topic,
        "intent": result.intent,
        "sentiment": result.sentiment,
        "urgency": result.urgency,
        "level": result.level,
        "abuse": "1" if result.abuse else "0",
    }
    for column in COLUMNS:
        values[f"confidence_{column}"] = f"{result.confidences.get(column, 0.0):.3f}"
    return values


class Command(BaseCommand):
    help = "Classify the messages of a CSV file (column `text`), or evaluate on labels."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("input", nargs="?", help="CSV file with a `text` column")
        parser.add_argument("--output", "-o", help="where to write (default: stdout)")
        parser.add_argument("--evaluate", metavar="LABELLED", help="labelled CSV file")
        parser.add_argument("--split", help="with --evaluate: only rows of this split")
        parser.add_argument(
            "--encoder",
            action="store_true",
            help="add the sentence encoder (better, ~10 times slower)",
        )
        parser.add_argument(
            "--mask",
            action="store_true",
            help="mask personal data (phone, e-mail, IBAN, house numbers) in `text`",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["evaluate"]:
            self.evaluate(
                Path(options["evaluate"]), options["split"], options["encoder"]
            )
            return
        if not options["input"]:
            raise CommandError(
                "Give a CSV file to classify, or --evaluate LABELLED.csv."
            )
        path = Path(options["input"])
        delimiter = check_input(path)
        if options["output"]:
            with open(options["output"], "w", encoding="utf-8", newline="") as out:
                count = self.classify(path, delimiter, out, options)
            self.stderr.write(f"{count} messages classified -> {options['output']}")
        else:
            self.classify(path, delimiter, self.stdout, options)  # type: ignore[arg-type]

    def classify(
        self, path: Path, delimiter: str, out: IO[str], options: dict[str, Any]
    ) -> int:
        writer: csv.DictWriter[str] | None = None
        count = 0
        for batch in batches(read_rows(path, delimiter), BATCH):
            if writer is None:
                columns = list(batch[0])
                clashes = [c for c in OUTPUT_COLUMNS if c in columns]
                if clashes:
                    self.stderr.write(
                        f"Note: the columns {', '.join(clashes)} of {path} are "
                        "replaced by the classification."
                    )
                columns += [c for c in OUTPUT_COLUMNS if c not in columns]
                writer = csv.DictWriter(
                    out, fieldnames=columns, delimiter=delimiter, lineterminator="\n"
                )
                writer.writeheader()
            results = classify_many(
                [row.get("text", "") for row in batch], use_encoder=options["encoder"]
            )
            for row, result in zip(batch, results, strict=True):
                if options["mask"]:
                    row["text"] = mask(row.get("text", ""))
                writer.writerow({**row, **output_values(result)})
            count += len(batch)
        return count

    def evaluate(self, path: Path, split: str | None, use_encoder: bool) -> None:
        delimiter = check_input(path)
        truth: dict[str, list[str]] = {}
        predicted: dict[str, list[str]] = {}
        for batch in batches(read_rows(path, delimiter), BATCH):
            if split:
                batch = [row for row in batch if row.get("split") == split]
            if not batch:
                continue
            present = [c for c in COLUMNS if c in batch[0]]
            if not present:
                raise CommandError(
                    f"{path} has no label column (expected any of {', '.join(COLUMNS)})."
                )
            results = classify_many(
                [row["text"] for row in batch], use_encoder=use_encoder
            )
            for row, result in zip(batch, results, strict=True):
                values = output_values(result)
                for column in present:
                    label = row[column].strip()
                    if column == "abuse":
                        label = abuse_value(label)
                    truth.setdefault(column, []).append(label)
                    predicted.setdefault(column, []).append(values[column])
        if not truth:
            raise CommandError(
                f"No rows to evaluate in {path}"
                + (f" (split {split})" if split else "")
                + "."
            )
        scores = [
            score_column(c, truth[c], predicted[c]) for c in COLUMNS if c in truth
        ]
        self.stdout.write(format_report(scores))
        summary = ", ".join(f"{s.column} {s.macro_f1:.3f}" for s in scores)
        self.stdout.write(f"macro-F1: {summary}")
        for score in scores:
            if score.column == "abuse":
                positive = next((s for s in score.labels if s.label == "1"), None)
                if positive:
                    self.stdout.write(
                        f"abuse: precision {positive.precision:.3f}, recall "
                        f"{positive.recall:.3f} ({positive.support} abusive messages)"
                    )

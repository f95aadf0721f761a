"""`parvis cluster INPUT.csv [--output OUT.csv] [--fast | --encoder]`: the themes of
a consultation's contributions.

The file is UTF-8 (a byte-order mark is accepted), separated by commas, semicolons or
tabs, with a `text` column; every other column is kept as it is. Three columns are
added: `theme` (a number, -1 for "other"), `theme_label` (its characteristic lemmas)
and `duplicate_of` (the 1-based data row of the first contribution of the same idea,
empty otherwise). Themes need every text at once, so the file is read whole.
"""

import csv
from pathlib import Path
from typing import IO, Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from parvis.inbox.management.commands.classify import check_input, read_rows
from parvis.participation.clustering import OTHER, Clustering, cluster_texts
from parvis.participation.clustering import Path as RepresentationPath

OUTPUT_COLUMNS = ["theme", "theme_label", "duplicate_of"]


def output_values(clustering: Clustering, index: int) -> dict[str, str]:
    theme = clustering.assignments[index]
    first = clustering.duplicate_of[index]
    return {
        "theme": str(theme),
        "theme_label": clustering.themes[theme].label if theme != OTHER else "autre",
        "duplicate_of": str(first + 1) if first != index else "",
    }


class Command(BaseCommand):
    help = "Find the themes and duplicates of contributions (CSV, column `text`)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("input", help="CSV file with a `text` column")
        parser.add_argument("--output", "-o", help="where to write (default: stdout)")
        path = parser.add_mutually_exclusive_group()
        path.add_argument(
            "--fast",
            action="store_true",
            help="TF-IDF mapped to the encoder's space (for large files)",
        )
        path.add_argument(
            "--encoder",
            action="store_true",
            help="the sentence encoder for every text (slower, better)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["input"])
        delimiter = check_input(path)
        rows = list(read_rows(path, delimiter))
        if not rows:
            raise CommandError(f"{path} has a header but no contribution.")
        choice: RepresentationPath = (
            "fast" if options["fast"] else "encoder" if options["encoder"] else "auto"
        )
        clustering = cluster_texts([row.get("text", "") for row in rows], path=choice)
        if options["output"]:
            with open(options["output"], "w", encoding="utf-8", newline="") as out:
                self.write(rows, clustering, delimiter, out)
            self.stderr.write(
                f"{len(rows)} contributions, {len(clustering.themes)} themes "
                f"({clustering.path} path) -> {options['output']}"
            )
        else:
            self.write(rows, clustering, delimiter, self.stdout)  # type: ignore[arg-type]

    def write(
        self,
        rows: list[dict[str, str]],
        clustering: Clustering,
        delimiter: str,
        out: IO[str],
    ) -> None:
        columns = list(rows[0])
        columns += [c for c in OUTPUT_COLUMNS if c not in columns]
        writer = csv.DictWriter(
            out, fieldnames=columns, delimiter=delimiter, lineterminator="\n"
        )
        writer.writeheader()
        for index, row in enumerate(rows):
            writer.writerow({**row, **output_values(clustering, index)})

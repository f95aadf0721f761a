"""`parvis opinions VOTES.csv [--min-votes N] [--max-groups K]`: the opinion groups of
a participation, their representative statements and the consensus statements, as
JSON on stdout (method: `parvis/participation/opinions.py`).

The file is UTF-8 (a byte-order mark is accepted), separated by commas, semicolons or
tabs, with the columns `participant`, `statement` and `vote` (1 agree, -1 disagree,
0 pass), one line per vote; when a participant votes twice on a statement, the later
line counts.
"""

import csv
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TextIO

from django.core.management.base import BaseCommand, CommandError, CommandParser

from parvis.participation.opinions import analyse_opinions

COLUMNS = ("participant", "statement", "vote")
VOTE_VALUES = {"1": 1, "+1": 1, "-1": -1, "0": 0}


def read_votes(path: Path) -> list[tuple[str, str, int]]:
    """Every vote of the file, in order; CommandError with the line number for a
    missing column, an empty id or a vote other than 1, -1 or 0."""
    if not path.is_file():
        raise CommandError(f"No such file: {path}")
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            return list(parse_rows(path, handle))
    except UnicodeDecodeError as error:
        raise CommandError(
            f"{path} is not UTF-8 text. Save it as « CSV UTF-8 » and try again."
        ) from error


def parse_rows(path: Path, handle: TextIO) -> Iterator[tuple[str, str, int]]:
    header = handle.readline()
    if not header.strip():
        raise CommandError(
            f"{path} is empty: a header line `participant,statement,vote` is needed."
        )
    delimiter = max(",;\t", key=header.count)
    columns = [
        column.strip() for column in next(csv.reader([header], delimiter=delimiter))
    ]
    missing = [column for column in COLUMNS if column not in columns]
    if missing:
        raise CommandError(
            f"{path} has no `{'`, `'.join(missing)}` column "
            f"(columns found: {', '.join(columns)})."
        )
    positions = [columns.index(column) for column in COLUMNS]
    reader = csv.reader(handle, delimiter=delimiter)
    for row in reader:
        if not any(cell.strip() for cell in row):
            continue
        line = reader.line_num + 1  # the header was read before the reader
        cells = [row[index].strip() if index < len(row) else "" for index in positions]
        participant, statement, vote = cells
        if not participant or not statement:
            raise CommandError(
                f"{path}, line {line}: the participant and the statement are needed."
            )
        if vote not in VOTE_VALUES:
            raise CommandError(
                f"{path}, line {line}: the vote is {vote!r}; expected 1 (agree), "
                "-1 (disagree) or 0 (pass)."
            )
        yield participant, statement, VOTE_VALUES[vote]


def positive(value: str) -> int:
    number = int(value)
    if number < 1:
        raise ValueError(value)
    return number


class Command(BaseCommand):
    help = "Opinion groups, representative and consensus statements of a votes CSV."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("votes", help="CSV file: participant,statement,vote")
        parser.add_argument(
            "--min-votes",
            type=int,
            help="votes a participant needs to be grouped "
            "(default: 7, or the number of statements if fewer)",
        )
        parser.add_argument(
            "--max-groups", type=positive, default=5, help="at most K groups (5)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        votes = read_votes(Path(options["votes"]))
        if not votes:
            raise CommandError(f"{options['votes']} has no votes.")
        result = analyse_opinions(
            votes, min_votes=options["min_votes"], max_groups=options["max_groups"]
        )
        self.stdout.write(json.dumps(result.to_json(), ensure_ascii=False, indent=2))

"""The maintained word lists of `data/`: CSV with ";" and "#" comment lines."""

import csv
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"


def read_rows(name: str) -> list[list[str]]:
    """The rows of `data/<name>` after its header row, cells stripped."""
    with (DATA / name).open(encoding="utf-8", newline="") as handle:
        lines = [line for line in handle if line.strip() and not line.startswith("#")]
    rows = list(csv.reader(lines, delimiter=";"))
    return [[cell.strip() for cell in row] for row in rows[1:]]

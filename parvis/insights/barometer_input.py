"""An observatory's file for the barometer: read, checked, grouped by authority.

Columns (UTF-8 CSV, comma, semicolon or tab): `authority_kind` (commune, epci,
departement, region), `authority_code` (official code: INSEE for a commune, SIREN for an
EPCI, the code of a département or région), `record` (account, post, article),
`network` (facebook, instagram, x, linkedin, mastodon, bluesky; website for articles),
`url`, `date` (ISO 8601), `text`, `sponsored` (true/false, posts), `reach` and
`followers` (integers, may be empty). Rows may come in any order.

A row that cannot be understood is left out and reported (line and reason); the others
are used. A large file is first split by authority into temporary files, each then
read whole by one of the machine's processes: memory stays bounded by the share of
one file, and both cores work.
"""

import csv
import datetime as dt
import os
import tempfile
import zlib
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from parvis.insights.barometer import (
    KINDS,
    NETWORKS,
    AuthorityIndicators,
    AuthorityRecords,
    Post,
    authority_indicators,
)
from parvis.nlp.text import strip_accents

COLUMNS = (
    "authority_kind",
    "authority_code",
    "record",
    "network",
    "url",
    "date",
    "text",
    "sponsored",
    "reach",
    "followers",
)
REQUIRED = ("authority_kind", "authority_code", "record", "text")
RECORDS = ("account", "post", "article")
TRUE = {"true", "1", "yes", "oui", "vrai", "y", "o"}
FALSE = {"false", "0", "no", "non", "faux", "n", ""}
# Above this size a file is split by authority on disk before being read.
SPLIT_ABOVE_BYTES = 64 * 1024 * 1024
# A website article may be long: the csv module's default field limit (128 KiB)
# would stop the whole reading at one long page.
FIELD_LIMIT = 64 * 1024 * 1024
PART_BYTES = 48 * 1024 * 1024
REPORTED_PROBLEMS = 20

# A checked row: kind, code, record, network, sponsored, reach, followers, text.
Row = tuple[str, str, str, str, bool, int | None, int | None, str]


class InputError(ValueError):
    """The file cannot be read at all (not CSV, a required column missing); `french`
    says it to the people who gave the file, without the server's paths."""

    def __init__(self, message: str, french: str) -> None:
        super().__init__(message)
        self.french = french


@dataclass
class Reading:
    """What a reading of the file found: the indicators of each authority, and the
    rows left out (their count and the first few, with line and reason)."""

    indicators: list[AuthorityIndicators] = field(default_factory=list)
    rows: int = 0
    rejected: int = 0
    problems: list[str] = field(default_factory=list)

    def reject(self, line: int, reason: str) -> None:
        self.rejected += 1
        if len(self.problems) < REPORTED_PROBLEMS:
            self.problems.append(f"line {line}: {reason}")


def _kind(value: str) -> str:
    """ "Département", "REGION", "EPCI" -> the slug."""
    return strip_accents(value.strip().casefold())


def _count(value: str, name: str) -> int | None:
    """A whole number written with digits (spaces as thousands separators allowed);
    "12.0" is 12; "1.234" or "1e999" are refused, never read as something else."""
    value = value.strip().replace("\u202f", "").replace("\u00a0", "").replace(" ", "")
    if not value:
        return None
    whole = value[:-2] if value.endswith((".0", ",0")) else value
    if not whole.isdigit() or len(whole) > 15:
        raise ValueError(f"{name} is not a whole number ({value[:20]!r})")
    return int(whole)


CODE_WIDTH = {"commune": 5, "departement": 2, "epci": 9, "region": 2}
MAX_CODE = 20


def normalize_code(kind: str, code: str) -> str:
    """Official codes compared as written by INSEE: spaces removed, numeric codes
    padded ("1053" -> "01053" for a commune, "1" -> "01" for a département)."""
    code = "".join(code.split()).upper()
    if code.isdigit():
        code = code.zfill(CODE_WIDTH[kind])
    return code


def check_row(values: dict[str, str]) -> Row:
    """The row's values checked and normalised; ValueError with the reason."""
    kind = _kind(values.get("authority_kind", ""))
    if kind not in KINDS:
        raise ValueError(f"unknown authority_kind {values.get('authority_kind')!r}")
    code = normalize_code(kind, values.get("authority_code", ""))
    if not code:
        raise ValueError("authority_code is empty")
    if len(code) > MAX_CODE:
        raise ValueError(f"authority_code is longer than {MAX_CODE} characters")
    record = values.get("record", "").strip().casefold()
    if record not in RECORDS:
        raise ValueError(f"unknown record {values.get('record')!r}")
    network = values.get("network", "").strip().casefold()
    if network == "twitter":
        network = "x"
    if record == "article":
        network = "website"
    elif network not in NETWORKS:
        raise ValueError(f"unknown network {values.get('network')!r} for a {record}")
    date = values.get("date", "").strip()
    if date:
        try:
            dt.datetime.fromisoformat(date.replace("Z", "+00:00"))
        except ValueError:
            raise ValueError(f"date is not ISO 8601 ({date[:30]!r})") from None
    sponsored_value = values.get("sponsored", "").strip().casefold()
    if sponsored_value not in TRUE | FALSE:
        raise ValueError(f"sponsored is neither true nor false ({sponsored_value!r})")
    return (
        kind,
        code,
        record,
        network,
        sponsored_value in TRUE,
        _count(values.get("reach", ""), "reach"),
        _count(values.get("followers", ""), "followers"),
        values.get("text", ""),
    )


def _rows(path: Path, delimiter: str, reading: Reading) -> Iterator[Row]:
    csv.field_size_limit(FIELD_LIMIT)
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle, delimiter=delimiter)
        header = [name.strip().casefold() for name in next(reader, [])]
        missing = [name for name in REQUIRED if name not in header]
        if missing:
            raise InputError(
                f"{path} has no column {', '.join(missing)} "
                f"(columns found: {', '.join(header) or 'none'}).",
                french=f"Colonnes absentes : {', '.join(missing)} (colonnes trouvées : "
                f"{', '.join(header) or 'aucune'}).",
            )
        positions = [(name, header.index(name)) for name in COLUMNS if name in header]
        for values in reader:
            if not any(values):
                continue
            reading.rows += 1
            named = {
                name: values[index] if index < len(values) else ""
                for name, index in positions
            }
            try:
                yield check_row(named)
            except ValueError as error:
                reading.reject(reader.line_num, str(error))


def delimiter_of(path: Path) -> str:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        header = handle.readline()
    if not header.strip():
        raise InputError(
            f"{path} is empty: a header line is needed.",
            french="Le fichier est vide : une première ligne nommant les colonnes "
            "est nécessaire.",
        )
    return max(",;\t", key=header.count)


def records_of(
    rows: Iterator[Row], populations: dict[str, int]
) -> list[AuthorityRecords]:
    """Rows grouped by authority (kind and code: a région and a département may
    share a code)."""
    by_authority: dict[tuple[str, str], AuthorityRecords] = {}
    for kind, code, record, network, sponsored, reach, followers, text in rows:
        records = by_authority.get((kind, code))
        if records is None:
            records = by_authority[(kind, code)] = AuthorityRecords(
                kind=kind,
                code=code,
                population=populations.get(code) if kind == "commune" else None,
            )
        if record == "article":
            if text.strip():
                records.articles.append(text)
        elif record == "account":
            known = records.accounts.get(network)
            records.accounts[network] = followers if followers is not None else known
        else:
            records.accounts.setdefault(network, None)
            records.posts.append(Post(network, text, sponsored, reach, followers))
    return list(by_authority.values())


def _indicators_of_part(
    part: Path, populations: dict[str, int]
) -> list[AuthorityIndicators]:
    csv.field_size_limit(FIELD_LIMIT)
    with part.open(encoding="utf-8", newline="") as handle:
        rows = (
            (k, c, r, n, s == "1", _count(re, "reach"), _count(f, "followers"), t)
            for k, c, r, n, s, re, f, t in csv.reader(handle)
        )
        return [authority_indicators(item) for item in records_of(rows, populations)]


def read_barometer_file(
    path: Path, populations: dict[str, int], *, workers: int | None = None
) -> Reading:
    """Read and check the file, then compute every authority's indicators."""
    reading = Reading()
    delimiter = delimiter_of(path)
    rows = _rows(path, delimiter, reading)
    if path.stat().st_size <= SPLIT_ABOVE_BYTES:
        reading.indicators = [
            authority_indicators(item) for item in records_of(rows, populations)
        ]
        return reading
    parts_count = max(2, path.stat().st_size // PART_BYTES + 1)
    with tempfile.TemporaryDirectory(prefix="parvis-barometer-") as folder:
        parts = [Path(folder) / f"part-{number}.csv" for number in range(parts_count)]
        handles = [part.open("w", encoding="utf-8", newline="") for part in parts]
        try:
            writers = [csv.writer(handle) for handle in handles]
            for row in rows:
                kind, code, record, network, sponsored, reach, followers, text = row
                number = zlib.crc32(f"{kind}|{code}".encode()) % parts_count
                writers[number].writerow(
                    (
                        kind,
                        code,
                        record,
                        network,
                        "1" if sponsored else "0",
                        "" if reach is None else reach,
                        "" if followers is None else followers,
                        text,
                    )
                )
        finally:
            for handle in handles:
                handle.close()
        with ProcessPoolExecutor(max_workers=workers or os.cpu_count() or 1) as pool:
            for found in pool.map(
                _indicators_of_part, parts, [populations] * len(parts)
            ):
                reading.indicators.extend(found)
    return reading

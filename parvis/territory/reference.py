"""The official territory reference: build the compact extract, read it, search it.

Source: the npm package `@etalab/decoupage-administratif` (Etalab, from INSEE's Code
officiel géographique, DGCL's list of EPCI à fiscalité propre and INSEE's legal
populations; Licence Ouverte). The extract shipped in `data/` keeps, for each commune
(current ones only), EPCI, département and région: kind, official code, name, SIREN,
population and parent codes. `parvis territory refresh` rebuilds it from the package.
"""

import csv
import gzip
import io
import json
import unicodedata
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parent / "data"
EXTRACT_PATH = DATA_DIR / "territories.csv.gz"
METADATA_PATH = DATA_DIR / "territories.json"
PACKAGE_NAME = "@etalab/decoupage-administratif"

EPCI_DETAIL = {
    "CC": "Communauté de communes",
    "CA": "Communauté d'agglomération",
    "CU": "Communauté urbaine",
    "METRO": "Métropole",
    "MET69": "Métropole de Lyon (collectivité à statut particulier)",
}

FIELDS = [
    "kind",
    "code",
    "name",
    "siren",
    "population",
    "epci_code",
    "departement_code",
    "region_code",
    "detail",
]


@dataclass(frozen=True)
class TerritoryRow:
    kind: str
    code: str
    name: str
    siren: str
    population: int
    epci_code: str
    departement_code: str
    region_code: str
    detail: str


def normalize_name(text: str) -> str:
    """Lower case, no accents, hyphens and apostrophes as spaces: "Saint-Étienne" and
    "saint etienne" compare equal."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    for separator in "-'’_/.,()":
        plain = plain.replace(separator, " ")
    return " ".join(plain.lower().split())


def build_rows(package_data_dir: Path) -> list[TerritoryRow]:
    """Turn the package's JSON files into extract rows, parents resolved."""

    def load(name: str) -> list[dict[str, Any]]:
        with open(package_data_dir / f"{name}.json", encoding="utf-8") as handle:
            return json.load(handle)

    communes = [c for c in load("communes") if c.get("type") == "commune-actuelle"]
    epcis = load("epci")
    departements = load("departements")
    regions = load("regions")

    commune_epci: dict[str, str] = {}
    for epci in epcis:
        for member in epci.get("membres", []):
            commune_epci[member["code"]] = epci["code"]
    commune_by_code = {commune["code"]: commune for commune in communes}

    population_by_dep: Counter[str] = Counter()
    population_by_region: Counter[str] = Counter()
    rows: list[TerritoryRow] = []
    for commune in communes:
        population = int(commune.get("population") or 0)
        population_by_dep[commune.get("departement", "")] += population
        population_by_region[commune.get("region", "")] += population
        rows.append(
            TerritoryRow(
                kind="commune",
                code=commune["code"],
                name=commune["nom"],
                siren=commune.get("siren", ""),
                population=population,
                epci_code=commune_epci.get(commune["code"], ""),
                departement_code=commune.get("departement", ""),
                region_code=commune.get("region", ""),
                detail="",
            )
        )

    for epci in epcis:
        # An EPCI may straddle départements: its parents are those of its most
        # populous member commune (in practice, the seat).
        members = [
            commune_by_code[m["code"]]
            for m in epci.get("membres", [])
            if m["code"] in commune_by_code
        ]
        largest = max(members, key=lambda c: c.get("population") or 0, default={})
        rows.append(
            TerritoryRow(
                kind="epci",
                code=epci["code"],
                name=epci["nom"],
                siren=epci["code"],
                population=int(
                    epci.get("populationMunicipale")
                    or epci.get("populationTotale")
                    or 0
                ),
                epci_code="",
                departement_code=largest.get("departement", ""),
                region_code=largest.get("region", ""),
                detail=EPCI_DETAIL.get(epci.get("type", ""), epci.get("type", "")),
            )
        )

    for dep in departements:
        rows.append(
            TerritoryRow(
                kind="departement",
                code=dep["code"],
                name=dep["nom"],
                siren="",
                population=population_by_dep.get(dep["code"], 0),
                epci_code="",
                departement_code="",
                region_code=dep.get("region", ""),
                detail=dep.get("zone", ""),
            )
        )
    for region in regions:
        rows.append(
            TerritoryRow(
                kind="region",
                code=region["code"],
                name=region["nom"],
                siren="",
                population=population_by_region.get(region["code"], 0),
                epci_code="",
                departement_code="",
                region_code="",
                detail=region.get("zone", ""),
            )
        )
    return rows


def write_extract(
    rows: list[TerritoryRow], *, version: str, extract_path: Path = EXTRACT_PATH
) -> dict[str, Any]:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=FIELDS, lineterminator="\n")
    writer.writeheader()
    for row in sorted(rows, key=lambda r: (r.kind, r.code)):
        writer.writerow(asdict(row))
    # mtime=0 keeps the file byte-identical when the data has not changed.
    with gzip.GzipFile(extract_path, "wb", mtime=0) as handle:
        handle.write(buffer.getvalue().encode("utf-8"))
    counts: defaultdict[str, int] = defaultdict(int)
    for row in rows:
        counts[row.kind] += 1
    metadata = {
        "source": f"npm package {PACKAGE_NAME}",
        "version": version,
        "licence": "Licence Ouverte / Open Licence (Etalab)",
        "producers": [
            "INSEE, Code officiel géographique",
            "DGCL, liste et composition des EPCI à fiscalité propre",
            "INSEE, populations légales",
        ],
        "counts": dict(sorted(counts.items())),
    }
    metadata_path = extract_path.with_suffix("").with_suffix(".json")
    metadata_path.write_text(json.dumps(metadata, ensure_ascii=False, indent=2) + "\n")
    return metadata


def read_metadata(extract_path: Path = EXTRACT_PATH) -> dict[str, Any]:
    metadata_path = extract_path.with_suffix("").with_suffix(".json")
    return json.loads(metadata_path.read_text())


def read_extract(extract_path: Path = EXTRACT_PATH) -> list[TerritoryRow]:
    with gzip.open(extract_path, "rt", encoding="utf-8", newline="") as handle:
        return [
            TerritoryRow(
                kind=record["kind"],
                code=record["code"],
                name=record["name"],
                siren=record["siren"],
                population=int(record["population"] or 0),
                epci_code=record["epci_code"],
                departement_code=record["departement_code"],
                region_code=record["region_code"],
                detail=record["detail"],
            )
            for record in csv.DictReader(handle)
        ]

import json

import pytest

from parvis.territory import reference
from parvis.territory.models import Territory
from parvis.territory.selectors import territory_parents, territory_search
from parvis.territory.services import territory_import


def write_package(folder):
    data = folder / "data"
    data.mkdir()
    (data / "communes.json").write_text(
        json.dumps(
            [
                {
                    "code": "35288",
                    "nom": "Saint-Malo",
                    "type": "commune-actuelle",
                    "departement": "35",
                    "region": "53",
                    "siren": "213502883",
                    "population": 47439,
                },
                {
                    "code": "35047",
                    "nom": "Cancale",
                    "type": "commune-actuelle",
                    "departement": "35",
                    "region": "53",
                    "population": 5300,
                },
                {
                    "code": "35999",
                    "nom": "Ancienne",
                    "type": "commune-deleguee",
                    "departement": "35",
                    "region": "53",
                    "population": 10,
                },
            ]
        )
    )
    (data / "epci.json").write_text(
        json.dumps(
            [
                {
                    "code": "243500782",
                    "nom": "CA du Pays de Saint Malo Agglomération",
                    "type": "CA",
                    "populationMunicipale": 84000,
                    "membres": [{"code": "35288"}, {"code": "35047"}],
                }
            ]
        )
    )
    (data / "departements.json").write_text(
        json.dumps(
            [{"code": "35", "nom": "Ille-et-Vilaine", "region": "53", "zone": "metro"}]
        )
    )
    (data / "regions.json").write_text(
        json.dumps([{"code": "53", "nom": "Bretagne", "zone": "metro"}])
    )
    return data


def test_names_compare_without_accents_case_or_hyphens():
    assert reference.normalize_name("Saint-Étienne") == "saint etienne"
    assert reference.normalize_name("L'Haÿ-les-Roses") == "l hay les roses"


def test_extract_keeps_current_communes_with_parents_and_summed_populations(tmp_path):
    rows = reference.build_rows(write_package(tmp_path))
    by_code = {(row.kind, row.code): row for row in rows}
    assert ("commune", "35999") not in by_code  # commune déléguée: not an authority
    saint_malo = by_code[("commune", "35288")]
    assert saint_malo.epci_code == "243500782"
    assert saint_malo.departement_code == "35" and saint_malo.region_code == "53"
    epci = by_code[("epci", "243500782")]
    assert epci.departement_code == "35"
    assert epci.detail == "Communauté d'agglomération"
    assert by_code[("departement", "35")].population == 47439 + 5300
    assert by_code[("region", "53")].population == 47439 + 5300


def test_extract_round_trips_through_the_compressed_file(tmp_path):
    rows = reference.build_rows(write_package(tmp_path))
    extract = tmp_path / "territories.csv.gz"
    metadata = reference.write_extract(rows, version="test@1", extract_path=extract)
    assert metadata["counts"] == {
        "commune": 2,
        "departement": 1,
        "epci": 1,
        "region": 1,
    }
    assert sorted(reference.read_extract(extract), key=lambda r: r.code) == sorted(
        rows, key=lambda r: r.code
    )
    assert reference.read_metadata(extract)["version"] == "test@1"


@pytest.mark.slow
@pytest.mark.django_db
def test_shipped_extract_loads_every_commune_and_a_second_import_changes_nothing():
    counts = territory_import()
    assert counts["created"] > 36_000
    assert Territory.objects.filter(kind="commune").count() > 34_000
    assert Territory.objects.filter(kind="epci").count() > 1_200
    assert Territory.objects.filter(kind="departement").count() >= 101
    assert Territory.objects.filter(kind="region").count() >= 18
    assert territory_import() == {"created": 0, "updated": 0, "total": counts["total"]}

    lyon = territory_search(query="Lyon")[0]
    assert (lyon.kind, lyon.code, lyon.name) == ("commune", "69123", "Lyon")
    assert [p.name for p in territory_parents(territory=lyon)] == [
        "Métropole de Lyon",
        "Rhône",
        "Auvergne-Rhône-Alpes",
    ]
    assert territory_search(query="69123")[0].name == "Lyon"
    assert territory_search(query="Métropole de Lyon")[0].code == "200046977"
    assert territory_search(query="gironde")[0].kind == "departement"

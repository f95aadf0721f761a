"""Importing an ad platform's export: every documented layout (fixtures shaped as
the platforms write them, see docs/boosts.md), bad lines reported with their number,
re-imports that update instead of duplicating, encodings and files refused."""

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from parvis.insights.boosts import boost_save, boosts_import
from parvis.insights.boosts_cells import RowError, parse_amount, parse_count, parse_date
from parvis.insights.boosts_import import read_export
from parvis.insights.models import Boost

FIXTURES = Path(__file__).parent / "fixtures"


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def load(authority, actor, name, content=None):
    return boosts_import(
        authority=authority,
        actor=actor,
        content=content if content is not None else fixture(name),
        file_name=name,
    )


def test_the_english_meta_export_is_read_with_its_ad_ids_and_bom():
    parsed = read_export(fixture("meta_ads_manager_en.csv"))

    assert parsed.layout == "meta"
    assert (parsed.problems, parsed.notices) == ([], [])
    first = parsed.rows[0]
    assert first.name == "Fête de la mer : le programme, jour par jour"
    assert first.external_id == "120210000000000001"
    assert (first.starts_on, first.ends_on) == (
        dt.date(2026, 6, 1),
        dt.date(2026, 6, 7),
    )
    assert (first.spent, first.reach, first.impressions, first.clicks) == (
        Decimal("76.40"),
        8214,
        15102,
        212,
    )
    assert first.target == "Saint-Malo +10 km 18-65"
    assert parsed.rows[2].clicks is None  # an empty cell is not 0


def test_the_french_meta_export_reads_decimal_commas_spaces_and_platforms():
    parsed = read_export(fixture("meta_ads_manager_fr.csv"))

    assert parsed.layout == "meta"
    networks = [(row.network, row.spent, row.reach) for row in parsed.rows]
    assert networks == [
        ("facebook", Decimal("52.30"), 6340),
        ("instagram", Decimal("21.70"), 2890),
        ("facebook", Decimal("30.00"), 4512),
    ]
    assert parsed.rows[2].impressions == 7310  # "7 310"


def test_the_french_export_saved_again_by_excel_is_read_in_windows_1252():
    parsed = read_export(fixture("meta_ads_manager_fr_excel.csv"))

    assert [row.name for row in parsed.rows] == [
        "Quai des Bulles : la billetterie est ouverte",
        "Encombrants : prenez rendez-vous en ligne",
    ]
    assert parsed.rows[0].starts_on == dt.date(2026, 5, 4)  # 04/05/2026: day first
    assert parsed.rows[0].spent == Decimal("52.30")
    assert "Windows-1252" in parsed.notices[0]


def test_the_linkedin_report_skips_its_preamble_and_reads_us_dates():
    parsed = read_export(fixture("linkedin_campaign_performance.csv"))

    assert parsed.layout == "linkedin"
    salon, recruiting = parsed.rows
    assert (salon.line, salon.network, salon.external_id) == (
        6,
        "linkedin",
        "312345678",
    )
    # The period ends on the "Report End" of the preamble (month first).
    assert (salon.starts_on, salon.ends_on) == (
        dt.date(2026, 6, 1),
        dt.date(2026, 6, 30),
    )
    assert recruiting.spent == Decimal("1204.10")  # "1,204.10"
    assert recruiting.reach == 40110


def test_the_parvis_template_gives_its_network_budget_and_target():
    parsed = read_export(fixture("parvis_modele.csv"))

    christmas, gardens = parsed.rows
    assert (christmas.network, christmas.budget, christmas.spent) == (
        "x",
        Decimal("60.00"),
        Decimal("58.20"),
    )
    assert christmas.target == "Saint-Malo et alentours, 18 ans et plus"
    assert (gardens.external_id, gardens.reach) == ("jardins-2026", None)


def test_bad_lines_are_reported_in_french_with_their_number_and_the_others_kept(
    commune, editor
):
    report = load(commune, editor, "meta_ads_manager_bad_rows.csv")

    assert report.created == 2
    assert report.problems == [
        "Ligne 3 : date de début illisible « 2026-13-01 » (attendu : 2026-05-20 ou "
        "20/05/2026).",
        "Ligne 4 : montant dépensé négatif « -5.00 ».",
        "Ligne 5 : la fin (02/06/2026) précède le début (10/06/2026).",
        "Ligne 6 : portée illisible « beaucoup ».",
    ]
    assert report.notices == ["Ligne 8 : ligne de total, ignorée."]
    assert sorted(Boost.objects.values_list("name", flat=True)) == [
        "Fête de la mer",
        "Travaux rue Pasteur",
    ]


@pytest.mark.parametrize(
    "name",
    [
        "meta_ads_manager_en.csv",
        "meta_ads_manager_fr.csv",
        "linkedin_campaign_performance.csv",
        "parvis_modele.csv",
    ],
)
def test_importing_the_same_file_again_updates_instead_of_duplicating(
    commune, editor, name
):
    first = load(commune, editor, name)
    count = Boost.objects.count()

    again = load(commune, editor, name)

    assert first.created == count > 0
    assert (again.created, again.updated, again.unchanged) == (0, 0, count)
    assert Boost.objects.count() == count


def test_a_newer_export_updates_the_results_and_keeps_what_the_team_wrote(
    commune, editor
):
    load(commune, editor, "meta_ads_manager_en.csv")
    boost = Boost.objects.get(external_id="120210000000000003")
    audience = commune.audiences.get(slug="familles")
    boost_save(
        authority=commune,
        actor=editor,
        boost=boost,
        values={"audience": audience, "target": "Parents, écrit à la main"},
    )
    newer = fixture("meta_ads_manager_en.csv").replace(b"3010,4433", b"4010,6433")

    report = load(commune, editor, "meta_ads_manager_en.csv", content=newer)

    boost.refresh_from_db()
    assert (report.updated, report.unchanged) == (1, 2)
    assert (boost.reach, boost.impressions) == (4010, 6433)
    assert (boost.audience, boost.target) == (audience, "Parents, écrit à la main")
    assert boost.origin == Boost.Origin.IMPORT


def test_a_boost_typed_by_hand_is_found_by_its_name_and_dates(commune, editor):
    typed = boost_save(
        authority=commune,
        actor=editor,
        values={
            "network": "facebook",
            "name": "Encombrants : prenez rendez-vous en ligne",
            "budget": Decimal(40),
            "starts_on": dt.date(2026, 5, 15),
            "ends_on": dt.date(2026, 5, 21),
        },
    )

    report = load(commune, editor, "meta_ads_manager_fr.csv")

    typed.refresh_from_db()
    assert (report.created, report.updated) == (2, 1)
    assert (typed.spent, typed.reach, typed.budget) == (
        Decimal("30.00"),
        4512,
        Decimal("40.00"),
    )
    assert typed.origin == Boost.Origin.MANUAL


def test_an_export_broken_down_by_day_becomes_one_boost_without_an_added_up_reach():
    content = (
        "Reporting starts,Reporting ends,Ad name,Ad ID,Reach,Impressions,"
        "Amount spent (EUR),Link clicks\n"
        "2026-06-01,2026-06-01,Fête de la mer,42,1000,1500,10.00,20\n"
        "2026-06-02,2026-06-02,Fête de la mer,42,900,1400,9.50,15\n"
    ).encode()

    parsed = read_export(content)

    (row,) = parsed.rows
    assert (row.starts_on, row.ends_on) == (dt.date(2026, 6, 1), dt.date(2026, 6, 2))
    assert (row.spent, row.impressions, row.clicks, row.reach) == (
        Decimal("19.50"),
        2900,
        35,
        None,
    )
    assert row.lines == (2, 3)
    assert "Lignes 2, 3" in parsed.notices[0]


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le"])
def test_a_utf_16_tab_separated_file_is_read_with_or_without_its_bom(encoding):
    content = (
        "Reporting starts\tReporting ends\tAd name\tAd ID\tReach\tImpressions\t"
        "Amount spent (EUR)\tLink clicks\r\n"
        "2026-06-03\t2026-06-10\tTravaux rue Pasteur : circulation alternée\t"
        "120210000000000002\t5120\t9876\t40.00\t98\r\n"
    )

    parsed = read_export(content.encode(encoding))

    (row,) = parsed.rows
    assert (row.name, row.external_id, row.reach, row.spent) == (
        "Travaux rue Pasteur : circulation alternée",
        "120210000000000002",
        5120,
        Decimal("40.00"),
    )


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "Le fichier est vide."),
        (b"PK\x03\x04\x14\x00\x06\x00", "classeur Excel"),
        ("nom,montant\nFête,12\n".encode(), "Colonnes non reconnues"),
        (
            b"Reporting starts,Ad name,Amount spent (USD)\n2026-06-01,Fete,10\n",
            "en USD",
        ),
        (b"\xef\xbb\xbfReporting starts,Ad name\n\xff\xfe\n", "Encodage"),
        (b"Reporting starts,Ad name\x81\x8d\n2026-06-01,F\x90\n", "Encodage"),
    ],
)
def test_a_file_that_cannot_be_used_is_refused_whole_in_french(
    commune, editor, content, message
):
    report = load(commune, editor, "export.csv", content=content)

    assert message in report.error
    assert report.imported == 0
    assert not Boost.objects.exists()


def test_a_parvis_template_line_with_an_unknown_network_is_reported(commune, editor):
    content = "reseau;nom;debut;fin;depense\ntiktok;Essai;01/06/2026;07/06/2026;10\n"

    report = load(commune, editor, "modele.csv", content=content.encode())

    assert report.problems == [
        "Ligne 2 : réseau « tiktok » inconnu (facebook, instagram, linkedin ou x)."
    ]


@pytest.mark.parametrize(
    ("written", "amount"),
    [
        ("76.40", "76.40"),
        ("76,40", "76.40"),
        ("1 234,50", "1234.50"),
        ("1\u202f234,50\u00a0€", "1234.50"),
        ("1,234.50", "1234.50"),
        ("1.234,50", "1234.50"),
        ("12,50 €", "12.50"),
        ("1,234", "1234.00"),
        ("", None),
        ("--", None),
    ],
)
def test_amounts_are_read_as_people_and_platforms_write_them(written, amount):
    expected = None if amount is None else Decimal(amount)
    assert parse_amount(written, what="montant") == expected


@pytest.mark.parametrize(
    ("written", "count"),
    [("8214", 8214), ("8 214", 8214), ("8,214", 8214), ("8.214", 8214), ("", None)],
)
def test_counts_are_read_with_any_thousand_separator(written, count):
    assert parse_count(written, what="portée") == count


def test_a_count_with_decimals_is_refused():
    with pytest.raises(RowError, match="nombre entier positif"):
        parse_count("12,5", what="portée")


@pytest.mark.parametrize(
    ("written", "month_first", "day"),
    [
        ("2026-06-03", False, dt.date(2026, 6, 3)),
        ("2026-06-03 00:00:00", False, dt.date(2026, 6, 3)),
        ("03/06/2026", False, dt.date(2026, 6, 3)),
        ("6/3/2026", True, dt.date(2026, 6, 3)),
    ],
)
def test_dates_are_read_iso_day_first_or_month_first_for_linkedin(
    written, month_first, day
):
    assert parse_date(written, month_first=month_first, what="début") == day

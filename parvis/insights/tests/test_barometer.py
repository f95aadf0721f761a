"""The barometer from an observatory's file: definitions, thresholds, planted truth."""

import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from parvis.insights import barometer_input
from parvis.insights.barometer import (
    AuthorityRecords,
    Post,
    authority_indicators,
    summarise,
)
from parvis.insights.barometer_input import read_barometer_file
from parvis.insights.barometer_peers import commune_populations
from parvis.insights.testing import HEADER, write_population


def run(*args: str) -> str:
    out, err = io.StringIO(), io.StringIO()
    call_command("barometer", *args, stdout=out, stderr=err)
    return out.getvalue()


@pytest.fixture(scope="module")
def planted(tmp_path_factory):
    path = tmp_path_factory.mktemp("barometer") / "population.csv"
    population = write_population(path, 500, populations=commune_populations())
    return path, population


def test_the_barometer_of_500_planted_authorities_returns_the_planted_shares_exactly(
    planted,
):
    path, population = planted
    result = json.loads(run("--input", str(path)))
    truth = population.truth()
    assert set(result["by_kind"]) == {"region", "departement", "epci", "commune"}
    assert result["by_kind"] == truth["by_kind"]
    assert result["all"] == truth["all"]
    for figures in [result["all"], *result["by_kind"].values()]:
        for share in [
            *figures["present"].values(),
            figures["specific_mode"],
            figures["republishing"],
            figures["sponsoring"],
        ]:
            assert 0 <= share <= 1


def test_communes_are_also_counted_by_population_band(planted):
    path, population = planted
    result = json.loads(run("--input", str(path)))
    counts = {
        band: figures["authorities"]
        for band, figures in result["communes_by_population"].items()
    }
    assert counts == population.bands()
    assert len(counts) >= 4


def test_a_large_file_split_by_authority_over_two_processes_gives_the_same_figures(
    planted, monkeypatch
):
    path, population = planted
    monkeypatch.setattr(barometer_input, "SPLIT_ABOVE_BYTES", 10_000)
    monkeypatch.setattr(barometer_input, "PART_BYTES", 200_000)
    reading = read_barometer_file(path, commune_populations(), workers=2)
    result = summarise(reading.indicators)
    truth = population.truth()
    assert result["all"] == truth["all"]
    assert result["by_kind"] == truth["by_kind"]


ARTICLE = (
    "La ville engage des travaux de réfection de la chaussée rue Pasteur à partir du "
    "lundi 3 mars. La circulation sera alternée par feux tricolores aux heures de "
    "pointe. Les riverains recevront un courrier détaillant les modalités pratiques. "
    "Le chantier durera trois semaines et sera financé avec le soutien de la région."
)


def indicators(posts, articles=(ARTICLE,), accounts=None):
    return authority_indicators(
        AuthorityRecords(
            kind="commune",
            code="35288",
            accounts=accounts or {},
            posts=[
                Post("facebook", text) if isinstance(text, str) else text
                for text in posts
            ],
            articles=list(articles),
        )
    )


@pytest.mark.parametrize(
    "post",
    [
        ARTICLE,
        ARTICLE[:140].rsplit(" ", 1)[0] + "…",
        ARTICLE + " https://www.ville.fr/actualites/travaux-rue-pasteur",
        "À LA UNE : " + ARTICLE.upper(),
        ARTICLE.replace("'", "’") + "\n\nEn savoir plus : https://www.ville.fr/a",
    ],
    ids=["whole", "truncated", "with-link", "capitals", "link-and-apostrophes"],
)
def test_a_near_copy_of_an_article_republishes(post):
    assert indicators([post]).republished_posts == 1


@pytest.mark.parametrize(
    "post",
    [
        "🚧 Rue Pasteur, on refait la chaussée dès le lundi 3 mars ! Circulation "
        "alternée aux heures de pointe : prévoyez un peu plus de temps. Merci pour "
        "votre patience 🙏",
        "La circulation sera alternée par feux tricolores aux heures de pointe. "
        "Vous passez par là le matin ? Pensez au vélo ou au bus 12, ils ne sont pas "
        "concernés par la déviation et vous feront gagner du temps tout le mois.",
        "Bonne année à toutes et à tous !",
    ],
    ids=["written-with-the-facts", "one-sentence-quoted", "short"],
)
def test_a_post_written_for_the_network_does_not_republish(post):
    assert indicators([post]).republished_posts == 0


def test_a_post_copied_from_another_authority_s_article_does_not_count():
    assert (
        indicators([ARTICLE], articles=["Un tout autre article."]).republished_posts
        == 0
    )


def test_exactly_80_percent_written_is_a_specific_mode_and_50_percent_copied_republishes():
    written = "🚧 Rue Pasteur, on refait la chaussée : prévoyez du temps, merci 🙏"
    specific = indicators([ARTICLE] * 3 + [written] * 12)  # 12 of 15 written
    assert specific.specific_mode and not specific.republishing
    republishing = indicators([ARTICLE] * 2 + [written] * 2)
    assert republishing.republishing and not republishing.specific_mode
    neither = indicators([ARTICLE] * 4 + [written] * 11)  # 73 % written
    assert not neither.republishing and not neither.specific_mode
    silent = indicators([], accounts={"facebook": 1000})
    assert not silent.republishing and not silent.specific_mode
    assert silent.present == {"facebook"}


def test_organic_reach_rate_leaves_out_sponsored_posts_and_unknown_figures():
    posts = [
        Post("facebook", "a", reach=100, followers=1000),  # 0.1
        Post("facebook", "b", reach=300),  # account's 1,000 followers: 0.3
        Post("facebook", "c", reach=900, followers=1000, sponsored=True),
        Post("facebook", "d", reach=None, followers=1000),
        Post("instagram", "e", reach=50),  # followers unknown
        Post("facebook", "f", reach=10, followers=0),
    ]
    result = indicators(posts, accounts={"facebook": 1000, "instagram": None})
    assert result.organic_reach_rate == pytest.approx(0.2)
    assert result.sponsors
    assert indicators([Post("x", "g")]).organic_reach_rate is None


def write(path: Path, rows: list[list[str]]) -> Path:
    import csv

    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(rows)
    return path


def row(
    kind="commune",
    code="35288",
    record="post",
    network="facebook",
    text="x",
    sponsored="false",
    reach="",
    followers="",
    date="2026-03-02T10:00:00+01:00",
):
    return [kind, code, record, network, "", date, text, sponsored, reach, followers]


def test_rows_that_cannot_be_understood_are_reported_and_the_others_used(tmp_path):
    path = write(
        tmp_path / "observatoire.csv",
        [
            row(),
            row(kind="mairie"),
            row(network="myspace"),
            row(reach="beaucoup"),
            row(date="hier"),
            row(sponsored="peut-être"),
            row(kind="Département", code="35", record="account", followers="12000"),
            row(
                kind="region", code="53", network="twitter", reach="10", followers="100"
            ),
        ],
    )
    err = io.StringIO()
    out = io.StringIO()
    call_command("barometer", "--input", str(path), stdout=out, stderr=err)
    result = json.loads(out.getvalue())
    assert result["all"]["authorities"] == 3
    assert result["by_kind"]["departement"]["present"]["facebook"] == 1.0
    assert result["by_kind"]["region"]["present"]["x"] == 1.0
    assert result["by_kind"]["region"]["median_organic_reach_rate"] == 0.1
    report = err.getvalue()
    assert "5 of 8 rows left out" in report
    assert "line 3: unknown authority_kind 'mairie'" in report
    assert "network 'myspace'" in report and "reach is not a whole number" in report
    assert "date is not ISO 8601" in report and "sponsored is neither" in report


def test_a_file_without_the_needed_columns_or_not_in_utf8_is_refused(tmp_path):
    missing = tmp_path / "missing.csv"
    missing.write_text("code,text\n1,a\n", encoding="utf-8")
    with pytest.raises(CommandError, match="no column authority_kind"):
        run("--input", str(missing))
    latin = tmp_path / "latin.csv"
    latin.write_bytes(
        ",".join(HEADER).encode()
        + "\ncommune,1,post,facebook,,,été,,,\n".encode("latin-1")
    )
    with pytest.raises(CommandError, match="not UTF-8"):
        run("--input", str(latin))
    with pytest.raises(CommandError, match="No such file"):
        run("--input", str(tmp_path / "absent.csv"))


def test_the_barometer_prints_csv_and_a_french_markdown_table(tmp_path):
    path = write(
        tmp_path / "o.csv",
        [
            row(text=ARTICLE),
            row(record="article", network="website", text=ARTICLE),
            row(code="35047", reach="50", followers="1000"),
        ],
    )
    csv_out = run("--input", str(path), "--format", "csv")
    header, *lines = csv_out.strip().splitlines()
    assert header.startswith("group,label,authorities,present_facebook")
    assert lines[0].startswith("commune,Communes,2,1.0")
    assert any(line.startswith("all,Toutes,2") for line in lines)
    markdown = run("--input", str(path), "--format", "md")
    assert "| Collectivités | Nombre | Facebook" in markdown
    assert "| Communes | 2 | 100,0\u00a0% |" in markdown
    assert "50,0\u00a0%" in markdown  # one of the two republishes


def test_odd_numbers_codes_and_long_articles_are_read_or_refused_row_by_row(tmp_path):
    long_article = ARTICLE + " " + "mot " * 40_000  # over the csv module's 128 KiB
    path = write(
        tmp_path / "odd.csv",
        [
            row(code="1053", reach="1 200", followers="12000"),
            row(code="01053", reach="12.0", followers="100"),
            row(code="1053", reach="1.234"),
            row(code="1053", reach="1e999"),
            row(
                kind="departement",
                code="1",
                record="article",
                network="website",
                text=long_article,
            ),
            row(kind="departement", code="01", text=ARTICLE[:300]),
            row(code="x" * 30),
        ],
    )
    err = io.StringIO()
    out = io.StringIO()
    call_command("barometer", "--input", str(path), stdout=out, stderr=err)
    result = json.loads(out.getvalue())
    # "1053" and "01053" are the same commune code.
    assert result["by_kind"]["commune"]["authorities"] == 1
    assert result["by_kind"]["commune"]["median_organic_reach_rate"] == pytest.approx(
        (0.1 + 0.12) / 2
    )
    assert result["by_kind"]["departement"]["republishing"] == 1.0
    report = err.getvalue()
    assert "3 of 7 rows left out" in report
    assert "reach is not a whole number ('1.234')" in report
    assert "reach is not a whole number ('1e999')" in report
    assert "longer than 20 characters" in report


def test_a_file_without_text_cannot_tell_republication_and_is_refused(tmp_path):
    path = tmp_path / "no-text.csv"
    path.write_text(
        "authority_kind,authority_code,record,network\ncommune,35288,post,x\n",
        encoding="utf-8",
    )
    with pytest.raises(CommandError, match="no column text"):
        run("--input", str(path))


def test_a_truncated_copy_followed_by_a_call_to_read_more_republishes():
    post = "La ville engage des travaux de réfection de la chaussée… Lire la suite"
    assert indicators([post + " https://www.ville.fr/a"]).republished_posts == 1

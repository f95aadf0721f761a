"""`parvis barometer [--input FILE.csv] [--format json|csv|md]`: how the authorities
communicate on social networks, by kind (see `insights.barometer` for the definitions
and `insights.barometer_input` for the file's columns).

Without `--input`, the authorities known to this installation, as on the barometer
page: those using Parvis measured from what it knows of them (their channels,
publications, website articles and inbox), the others from the latest observatory
file. Rows of a file that cannot be understood are left out and reported on stderr.
"""

import csv
import json
from pathlib import Path
from typing import IO, Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from parvis.insights.barometer import summarise, summary_rows
from parvis.insights.barometer_input import InputError, read_barometer_file
from parvis.insights.barometer_peers import commune_populations
from parvis.web.templatetags.humanize_fr import hours_fr, thousands


def render_markdown(rows: list[dict[str, Any]]) -> str:
    """A French table, shares as percentages."""
    if not rows:
        return ""
    columns = [key for key in rows[0] if key not in {"group", "label"}]
    headers = ["Collectivités", *(MARKDOWN_HEADERS.get(c, c) for c in columns)]
    lines = [
        "| " + " | ".join(headers) + " |",
        "|" + "---|" + "---:|" * len(columns),
    ]
    for row in rows:
        cells = [str(row["label"])] + [_cell(column, row[column]) for column in columns]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


MARKDOWN_HEADERS = {
    "authorities": "Nombre",
    "present_facebook": "Facebook",
    "present_instagram": "Instagram",
    "present_x": "X",
    "present_linkedin": "LinkedIn",
    "present_mastodon": "Mastodon",
    "present_bluesky": "Bluesky",
    "specific_mode": "Mode spécifique",
    "republishing": "Republie le site",
    "sponsoring": "Sponsorise",
    "median_organic_reach_rate": "Portée organique médiane",
    "median_response_hours": "Délai de réponse médian",
}


def _cell(column: str, value: Any) -> str:
    if value is None:
        return "n. d."
    if column == "authorities":
        return thousands(value)
    if column == "median_response_hours":
        return hours_fr(value)
    return f"{value:.1%}".replace(".", ",").replace("%", "\u00a0%")


def write_csv(rows: list[dict[str, Any]], out: IO[str]) -> None:
    if not rows:
        return
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: "" if v is None else v for k, v in row.items()})


class Command(BaseCommand):
    help = "The barometer of authorities on social networks, by kind of authority."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--input",
            "-i",
            help="an observatory's CSV file (default: this installation's data)",
        )
        parser.add_argument(
            "--format", "-f", choices=["json", "csv", "md"], default="json"
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=None,
            help="processes for a large file (default: one per core)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["input"]:
            summary = self.from_file(Path(options["input"]), options["workers"])
        else:
            from parvis.insights.selectors import barometer_population

            summary = summarise(barometer_population(fresh=True), response_times=True)
        if options["format"] == "json":
            self.stdout.write(json.dumps(summary, ensure_ascii=False, indent=2))
        elif options["format"] == "csv":
            write_csv(summary_rows(summary), self.stdout)  # type: ignore[arg-type]
        else:
            self.stdout.write(render_markdown(summary_rows(summary)), ending="")

    def from_file(self, path: Path, workers: int | None) -> dict[str, Any]:
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        try:
            reading = read_barometer_file(path, commune_populations(), workers=workers)
        except InputError as error:
            raise CommandError(str(error)) from error
        except UnicodeDecodeError as error:
            raise CommandError(
                f"{path} is not UTF-8 text. Save it as « CSV UTF-8 » and try again."
            ) from error
        except csv.Error as error:
            raise CommandError(
                f"{path} is not a readable CSV file ({error})."
            ) from error
        if reading.rejected:
            self.stderr.write(
                f"{reading.rejected} of {reading.rows} rows left out:\n  "
                + "\n  ".join(reading.problems)
                + ("\n  …" if reading.rejected > len(reading.problems) else "")
            )
        if not reading.indicators:
            raise CommandError(f"{path} describes no authority.")
        return summarise(reading.indicators)

"""`parvis territory import|refresh|search`."""

import json
import shutil
import subprocess
import tarfile
import tempfile
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from parvis.territory import reference
from parvis.territory.selectors import territory_search
from parvis.territory.services import territory_import


class Command(BaseCommand):
    help = (
        "Official territory reference: import the shipped extract, refresh it, search."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("import", help="Load the shipped extract into the database.")
        refresh = sub.add_parser(
            "refresh",
            help=f"Rebuild the extract from the npm package {reference.PACKAGE_NAME}.",
        )
        refresh.add_argument("--version", default="latest", dest="package_version")
        refresh.add_argument(
            "--from-dir", help="Use an unpacked package folder instead of npm."
        )
        search = sub.add_parser("search", help="Search the reference by name or code.")
        search.add_argument("query")

    def handle(self, *args, action, **options):
        getattr(self, f"handle_{action}")(**options)

    def handle_import(self, **options):
        started = time.monotonic()
        counts = territory_import()
        self.stdout.write(
            f"Territory reference {reference.read_metadata()['version']}: "
            f"{counts['created']} created, {counts['updated']} updated, "
            f"{counts['total']} in the extract ({time.monotonic() - started:.1f} s)."
        )

    def handle_refresh(self, *, package_version, from_dir, **options):
        with tempfile.TemporaryDirectory() as tmp:
            if from_dir:
                package_dir = Path(from_dir)
                package_json = package_dir.joinpath("package.json").read_text()
                version = json.loads(package_json)["version"]
            else:
                package_dir, version = self._npm_pack(Path(tmp), package_version)
            rows = reference.build_rows(package_dir / "data")
            metadata = reference.write_extract(
                rows, version=f"{reference.PACKAGE_NAME}@{version}"
            )
        self.stdout.write(
            f"Extract rebuilt from {metadata['version']}: {metadata['counts']}. "
            "Run `parvis territory import` to load it."
        )

    def _npm_pack(self, folder: Path, package_version: str) -> tuple[Path, str]:
        npm = shutil.which("npm")
        if npm is None:
            raise CommandError("npm is needed to download the reference package.")
        spec = f"{reference.PACKAGE_NAME}@{package_version}"
        result = subprocess.run(
            [npm, "pack", spec, "--silent", "--pack-destination", str(folder)],
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise CommandError(f"npm pack {spec} failed: {result.stderr.strip()}")
        tarball = folder / result.stdout.strip().splitlines()[-1]
        with tarfile.open(tarball) as archive:
            archive.extractall(folder, filter="data")
        package_dir = folder / "package"
        version = json.loads((package_dir / "package.json").read_text())["version"]
        return package_dir, version

    def handle_search(self, *, query, **options):
        for territory in territory_search(query=query):
            self.stdout.write(
                f"{territory.kind:<12} {territory.code:<10} {territory.name} "
                f"({territory.population} hab.)"
            )

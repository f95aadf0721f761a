"""The demo's observatory file: the authorities of Brittany (real codes and legal
populations from the shipped reference) with generated accounts, posts and website
articles, so that the demo's barometer has peers to compare with. The file is named
as generated wherever it shows."""

import io

from django.core.files.base import ContentFile

from parvis.insights.models import ObservatoryImport
from parvis.insights.services import observatory_import_read
from parvis.insights.testing import generate

DEMO_FILE_NAME = "observatoire-de-demonstration-donnees-generees.csv"
DEMO_REGION = "53"  # Bretagne
DEMO_AUTHORITIES = 400


def demo_observatory_load() -> ObservatoryImport:
    from parvis.territory.reference import read_extract

    rows = [
        row
        for row in read_extract()
        if row.region_code == DEMO_REGION
        or (row.kind == "region" and row.code == DEMO_REGION)
    ]
    populations = {r.code: r.population for r in rows if r.kind == "commune"}
    real_codes = {
        kind: sorted(r.code for r in rows if r.kind == kind)
        for kind in ("region", "departement", "epci")
    }
    out = io.StringIO()
    generate(
        out,
        DEMO_AUTHORITIES,
        mean_posts=10,
        seed=2027,
        populations=populations,
        real_codes=real_codes,
        kinds_weights=(1, 4, 60, 335),
    )
    observatory_import = ObservatoryImport.objects.create(file_name=DEMO_FILE_NAME)
    observatory_import.file.save(
        DEMO_FILE_NAME, ContentFile(out.getvalue().encode()), save=True
    )
    observatory_import_read(observatory_import=observatory_import)
    observatory_import.refresh_from_db()
    return observatory_import

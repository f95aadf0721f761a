"""Adaptation throughput: variants (with their six checks) for N articles x 6 networks
x 3 audiences, with the deterministic engine. Target: >= 200 variants/s.

The articles are the studio's test pages (parvis/studio/tests/fixtures/articles),
extracted once, then made distinct (a number in the title and the text) so that nothing
is cached from one article to the next.

    .venv/bin/python benchmarks/adapt.py            # 1,000 articles (18,000 variants)
    .venv/bin/python benchmarks/adapt.py --quick    # 100 articles
"""

import argparse
import json
import os
import resource
import statistics
import sys
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
FIXTURES = ROOT / "parvis" / "studio" / "tests" / "fixtures" / "articles"
NETWORKS = ["x", "bluesky", "mastodon", "facebook", "instagram", "linkedin"]
AUDIENCES = ["habitants", "familles", "entreprises"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    if args.quick:
        args.articles, args.repeat = 100, 1
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from parvis.sources.extract import extract_article
    from parvis.studio.audiences import default_profiles
    from parvis.studio.checks import check_against_source
    from parvis.studio.engine import SourceText, adapt

    manifest = json.loads((FIXTURES / "manifest.json").read_text())
    bases = []
    for entry in manifest:
        page = extract_article((FIXTURES / entry["file"]).read_text(), entry["url"])
        bases.append(
            SourceText(
                title=page.title,
                lead=page.lead,
                text=page.text,
                url=page.canonical_url or entry["url"],
                image_url=page.image_url,
                image_alt=page.image_alt,
            )
        )
    profiles = default_profiles()
    rates = []
    checked = 0
    for run in range(args.repeat):
        articles = [
            replace(
                bases[n % len(bases)],
                title=f"{bases[n % len(bases)].title} ({run}-{n})",
                text=f"{bases[n % len(bases)].text}\nRéférence {run}-{n}.",
            )
            for n in range(args.articles)
        ]
        started = time.perf_counter()
        variants = 0
        for article in articles:
            for network in NETWORKS:
                for slug in AUDIENCES:
                    variant = adapt(article, network=network, audience=profiles[slug])
                    checks = check_against_source(
                        variant.parts,
                        source=article,
                        network=network,
                        audience=profiles[slug],
                        image_alt=variant.image_alt,
                    )
                    checked += all(c.ok for c in checks.values())
                    variants += 1
        elapsed = time.perf_counter() - started
        rates.append(variants / elapsed)
        print(
            f"run {run + 1}: {variants} variants in {elapsed:.1f} s "
            f"({variants / elapsed:.0f}/s)",
            flush=True,
        )
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        json.dumps(
            {
                "articles": args.articles,
                "variants_per_run": args.articles * len(NETWORKS) * len(AUDIENCES),
                "median_variants_per_second": round(statistics.median(rates), 1),
                "runs": [round(rate, 1) for rate in rates],
                "all_checks_ok_share": round(checked / (variants * args.repeat), 3),
                "peak_rss_mb": round(peak_mb, 1),
            }
        )
    )


if __name__ == "__main__":
    main()

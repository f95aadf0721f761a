"""Barometer: `parvis barometer --input FILE.csv` over 35,000 authorities and about
5 million posts (target, issue 8: under 10 minutes on this machine).

The file is generated first (not timed) by `insights.testing`: authorities planted
with a style (written for the network, republishing, mixed, silent), about 160 posts
each on average (exponential, at least 5), one website article for every four posts,
rows shuffled so that an authority's rows are spread over the file. The timed run is
the command itself in a fresh process (reading, checking, splitting by authority,
republication detection by shingle index on both cores, the summary); the planted
shares are checked against its JSON (`exact`). Peak memory is the largest resident
set among the command's processes (the reader and each of its two workers).

    .venv/bin/python benchmarks/barometer.py            # 35,000 authorities, ~5 M posts
    .venv/bin/python benchmarks/barometer.py --quick    # 2,000 authorities, ~100,000 posts
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--authorities", type=int)
    parser.add_argument("--mean-posts", type=int)
    parser.add_argument("--keep", help="keep the generated file at this path")
    args = parser.parse_args()
    authorities = args.authorities or (2_000 if args.quick else 35_000)
    mean_posts = args.mean_posts or (50 if args.quick else 160)

    import django

    django.setup()
    from parvis.insights.barometer_peers import commune_populations
    from parvis.insights.testing import write_population

    folder = Path(tempfile.mkdtemp(prefix="parvis-bench-barometer-"))
    path = Path(args.keep) if args.keep else folder / "observatoire.csv"
    started = time.perf_counter()
    population = write_population(
        path,
        authorities,
        mean_posts=mean_posts,
        populations=commune_populations(),
        articles_per_post=0.25,
    )
    generated = time.perf_counter() - started
    posts = sum(a.posts for a in population.authorities)
    size = path.stat().st_size
    print(
        f"generated {authorities} authorities, {posts} posts, "
        f"{size / 1e9:.2f} GB in {generated:.0f} s",
        flush=True,
    )

    started = time.perf_counter()
    completed = subprocess.run(
        [sys.executable, "-m", "parvis.cli", "barometer", "--input", str(path)],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    elapsed = time.perf_counter() - started
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    result = json.loads(completed.stdout)
    truth = population.truth()
    exact = result["all"] == truth["all"] and result["by_kind"] == truth["by_kind"]
    print(f"barometer in {elapsed:.1f} s, peak {peak_kb / 1024:.0f} MB, exact={exact}")
    if not args.keep:
        path.unlink()
        folder.rmdir()
    print(
        json.dumps(
            {
                "authorities": authorities,
                "posts": posts,
                "file_gb": round(size / 1e9, 2),
                "seconds": round(elapsed, 1),
                "posts_per_second": round(posts / elapsed),
                "peak_rss_mb": round(peak_kb / 1024),
                "exact": exact,
                "target_seconds": 600,
            }
        )
    )


if __name__ == "__main__":
    main()

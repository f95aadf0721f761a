"""Inbox throughput: classify and route 100,000 citizens' messages on both cores.
Target: >= 1,000 messages/s, peak memory < 1.5 GB.

Routing is the inbox's own (`parvis/inbox/routing.py`): the service of the topic among
the authority's services, and the due date from that service's SLA for the intent and
urgency, in working days with French public holidays. The authority (Saint-Malo, with
its default services) lives in a scratch SQLite database in a temporary
PARVIS_VAR_DIR; each worker loads it once, as a worker of the inbox does.

The messages are the inbox's training messages (parvis/inbox/data/train), recombined:
a greeting or not, the sentences of one message with a sentence of another, a house
number and a reference, so that no two are the same and nothing is cached from one
message to the next. Two worker processes classify half each, in batches of 1,000,
with the default model (linear model and lexicons; `--encoder` adds the sentence
encoder, on a small sample, to show its cost).

    .venv/bin/python benchmarks/inbox.py            # 100,000 messages, 3 runs
    .venv/bin/python benchmarks/inbox.py --quick    # 10,000 messages, 1 run
"""

import argparse
import csv
import datetime as dt
import json
import multiprocessing
import os
import random
import re
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
TRAINING = ROOT / "parvis" / "inbox" / "data" / "train" / "messages.csv"
GREETINGS = [
    "",
    "",
    "Bonjour, ",
    "Bonjour,\n",
    "Bonsoir, ",
    "Madame, Monsieur,\n",
    "bjr ",
]
CLOSINGS = ["", "", " Merci.", " Cordialement.", " Merci d'avance", " 🙏", "!!"]
SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def messages(count: int, seed: int) -> list[str]:
    with TRAINING.open(encoding="utf-8", newline="") as handle:
        texts = [row["text"] for row in csv.DictReader(handle)]
    pieces = [SENTENCE_END.split(text) for text in texts]
    generator = random.Random(seed)
    result = []
    for number in range(count):
        first = generator.choice(pieces)
        second = generator.choice(pieces)
        body = " ".join(
            first + ([generator.choice(second)] if generator.random() < 0.4 else [])
        )
        body = body.replace(" rue ", f" {generator.randint(1, 120)} rue ", 1)
        result.append(
            f"{generator.choice(GREETINGS)}{body}{generator.choice(CLOSINGS)}"
            f" (réf. {seed}-{number})"
        )
    return result


ROUTED = "(routed to a service)"
RECEIVED_AT = dt.datetime(2026, 12, 24, 16, 30, tzinfo=dt.UTC)  # before Christmas


def setup_database() -> None:
    """A scratch database with one commune and its default services."""
    os.environ["PARVIS_VAR_DIR"] = tempfile.mkdtemp(prefix="parvis-bench-inbox-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from parvis.territory.models import Territory
    from parvis.territory.reference import normalize_name
    from parvis.territory.services import authority_create

    call_command("migrate", interactive=False, verbosity=0)
    territory = Territory.objects.create(
        kind="commune",
        code="35288",
        name="Saint-Malo",
        search_name=normalize_name("Saint-Malo"),
        population=47_439,
        departement_code="35",
        region_code="53",
        dataset_version="bench",
    )
    authority_create(territory_id=territory.pk)


def work(arguments: tuple[list[str], bool]) -> tuple[int, dict[str, int], float]:
    texts, use_encoder = arguments
    import django

    django.setup()
    from parvis.inbox import routing
    from parvis.inbox.classify import classify_many
    from parvis.territory.models import Authority

    authority = (
        Authority.objects.select_related("territory").prefetch_related("services").get()
    )
    topics: dict[str, int] = {}
    routed = 0
    for start in range(0, len(texts), 1000):
        for result in classify_many(
            texts[start : start + 1000], use_encoder=use_encoder
        ):
            service = routing.service_for(authority=authority, topic=result.topic)
            routing.due_at(
                authority=authority,
                service=service,
                intent=result.intent,
                urgency=result.urgency,
                received_at=RECEIVED_AT,
            )
            routed += service is not None
            topics[result.topic] = topics.get(result.topic, 0) + 1
    topics[ROUTED] = routed
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return len(texts), topics, peak_mb


def run(texts: list[str], workers: int, use_encoder: bool) -> tuple[float, dict, float]:
    halves = [texts[index::workers] for index in range(workers)]
    started = time.perf_counter()
    with multiprocessing.get_context("spawn").Pool(workers) as pool:
        results = pool.map(work, [(half, use_encoder) for half in halves])
    elapsed = time.perf_counter() - started
    topics: dict[str, int] = {}
    for _, counts, _ in results:
        for topic, count in counts.items():
            topics[topic] = topics.get(topic, 0) + count
    return elapsed, topics, sum(peak for _, _, peak in results)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--messages", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--encoder", action="store_true", help="add the sentence encoder"
    )
    args = parser.parse_args()
    if args.quick:
        args.messages, args.repeat = 10_000, 1
    setup_database()
    rates = []
    peaks = []
    topics: dict[str, int] = {}
    for repetition in range(args.repeat):
        texts = messages(args.messages, seed=repetition)
        elapsed, topics, workers_peak_mb = run(texts, args.workers, args.encoder)
        rates.append(len(texts) / elapsed)
        peaks.append(workers_peak_mb)
        print(
            f"run {repetition + 1}: {len(texts)} messages in {elapsed:.1f} s "
            f"({len(texts) / elapsed:.0f}/s), workers' peak RSS {workers_peak_mb:.0f} MB",
            flush=True,
        )
    parent_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        json.dumps(
            {
                "messages": args.messages,
                "workers": args.workers,
                "encoder": args.encoder,
                "median_messages_per_second": round(statistics.median(rates), 1),
                "runs": [round(rate, 1) for rate in rates],
                # Parent plus the sum of the workers' peaks (an upper bound of the
                # memory the whole run held at once).
                "peak_rss_mb": round(parent_mb + max(peaks), 1),
                "routed_to_a_service": topics.pop(ROUTED, 0),
                "topics": dict(sorted(topics.items())),
            }
        )
    )


if __name__ == "__main__":
    main()

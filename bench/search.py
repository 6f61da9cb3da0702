"""Measure search latency over synthetic content at scale.

Usage: ``DATABASE_URL=... python bench/search.py --articles N --output FILE``, with
the production settings in the environment. Run it against a new, empty, migrated
database (``make bench-search`` creates them and does all this): it loads the
knowledge base, adds synthetic articles, causes, nutrients and foods built from
the source documents' sentences, indexes everything, then times a fixed list of
queries through the full search view and prints p50 and p95.

Like real articles, each synthetic one has a topic: a few sentences about it among
general ones, so a word such as "magnesium" matches the articles about magnesium
rather than every article.
"""

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

QUERIES = [
    "magnesium",
    "muscle relaxant",
    "eye twitching",
    "low magnesium",
    "magnesum",
    "vitamn d",
    "twitching after coffee",
    "Bell's palsy",
    "hemifacial spasm",
    "calcium deficiency tingling",
    "yogurt",
    "nerve compression surgery",
    "stress and lack of sleep",
    "fortified cereals vitamin b12",
    "qwertyuiop",
]


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--output", type=Path)
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from bench import synthetic
    from knowledge.models import Article
    from search.index import rebuild_index

    articles, rounds, output = args.articles, args.rounds, args.output
    if Article.objects.exists():
        sys.exit(
            "This fills the database with synthetic content: point DATABASE_URL "
            "at a new, empty scratch database (`make bench-search` does)."
        )
    started = time.perf_counter()
    call_command("load_knowledge", verbosity=0)
    synthetic.fill(
        synthetic.Scale(
            articles=articles,
            nutrients=articles // 60,
            causes=articles // 25,
            foods=articles // 20,
        )
    )
    indexed = rebuild_index()
    synthetic.analyze()
    fill_seconds = time.perf_counter() - started
    print(f"{connection.vendor}: {indexed:,} pages indexed in {fill_seconds:.0f} s")

    # Each search computed afresh: the results kept per content version would
    # answer every round after the first.
    settings.SEARCH_CACHE = ""
    client = Client()
    timings: dict[str, list[float]] = {query: [] for query in QUERIES}
    for query in QUERIES:  # warm-up
        client.get("/search/", {"q": query})
    for _ in range(rounds):
        for query in QUERIES:
            start = time.perf_counter()
            response = client.get("/search/", {"q": query})
            timings[query].append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, response.status_code
    everything = [t for values in timings.values() for t in values]
    report = {
        "database": connection.vendor,
        "articles": articles,
        "pages_indexed": indexed,
        "requests": len(everything),
        "p50_ms": round(statistics.median(everything), 1),
        "p95_ms": round(percentile(everything, 0.95), 1),
        "per_query_p50_ms": {
            q: round(statistics.median(v), 1) for q, v in timings.items()
        },
    }
    print(f"{'query':32} {'p50 ms':>8} {'max ms':>8}")
    for query, values in timings.items():
        print(f"{query:32} {statistics.median(values):8.1f} {max(values):8.1f}")
    print(
        f"{connection.vendor}: search p50 {report['p50_ms']} ms, "
        f"p95 {report['p95_ms']} ms over {len(everything)} requests"
    )
    if output:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(json.dumps(report, indent=2) + "\n")


if __name__ == "__main__":
    main()

"""Benchmark the production server: `make bench` runs this.

It fills a scratch database with the knowledge base plus synthetic content at
scale, starts gunicorn on loopback with the configuration `make serve` uses
(gunicorn.conf.py, DEBUG off, whitenoise), and runs Debian's wrk against each page:

- cold: the page cache is off, so every request renders the page;
- warm: the page cache is on and already holds the page.

There are two ceilings, both serving the article page's own HTML: the static file
served by the same server through whitenoise, and a bare WSGI app that returns the
same bytes under the same gunicorn (bench/bare_app.py), the upper bound for a page
from the page cache. For every run it prints requests per second, p50
and p99 latency, errors, SQL queries per request (counted by sending the same
request through Django's test client), the workers' CPU milliseconds per request
(from /proc, over the whole run), on PostgreSQL also the database server's CPU
milliseconds per request (its processes for the benchmark database), and the ratio
to the ceiling. A soak runs all the
pages in turn at 64 connections and samples the workers' memory.

The figures are printed as a table and saved as JSON, one entry per database.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.processes import (  # noqa: E402 - after the path is set
    cpu_seconds,
    database_cpu,
    production_environment,
    recreate_database,
    rss_mib,
    server,
    workers,
)

WRK_SCRIPT = ROOT / "bench" / "wrk_report.lua"
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")
SCALE = {"articles": 1000, "nutrients": 40, "causes": 300, "foods": 300}
CEILING_PATH = "/static/bench/article.html"


def bench_database_url(database_url: str) -> str:
    """Never the site's own database: a scratch one beside it."""
    if database_url.startswith(("postgres://", "postgresql://")):
        server = urlsplit(database_url)
        return urlunsplit(server._replace(path="/twitchsite_bench", query=""))
    return "sqlite:///bench/site.sqlite3"


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--database-url",
        default=bench_database_url(os.environ.get("DATABASE_URL", "")),
        help="A scratch database, emptied and refilled (default: bench/site.sqlite3, "
        "or with DATABASE_URL on PostgreSQL, twitchsite_bench on that server).",
    )
    parser.add_argument("--duration", type=int, default=10, help="seconds per run")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--soak", type=int, default=60, help="soak seconds")
    parser.add_argument("--soak-connections", type=int, default=64)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--output", type=Path, default=ROOT / "bench" / "results.json")
    parser.add_argument(
        "--reuse-database",
        action="store_true",
        help="Measure the database a previous run filled, without refilling it.",
    )
    parser.add_argument(
        "--only", default="", help="Comma-separated page names to measure (no soak)."
    )
    return parser.parse_args()


def environment(args: argparse.Namespace) -> dict[str, str]:
    """The production settings, with gunicorn's workers and no access log."""
    env = production_environment(args.database_url)
    env.update(WEB_CONCURRENCY=str(args.workers), GUNICORN_ACCESS_LOG="")
    return env


def prepare(pages: dict[str, str], fill: bool) -> dict[str, dict[str, int]]:
    """Fill the database, save the ceiling file, count each page's queries."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, connections
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from bench import synthetic
    from knowledge.content_version import bump_content_version
    from knowledge.models import Article
    from search.index import rebuild_index

    started = time.perf_counter()
    call_command("collectstatic", interactive=False, verbosity=0)
    call_command("migrate", verbosity=0)
    if fill:
        call_command("load_knowledge", verbosity=0)
        synthetic.fill(synthetic.Scale(**SCALE))
        indexed = rebuild_index()
        synthetic.analyze()
        print(
            f"{connection.vendor}: {SCALE['articles']:,} synthetic articles, "
            f"{indexed:,} pages indexed in {time.perf_counter() - started:.0f} s"
        )

    article = Article.objects.published().filter(source__isnull=False).first()
    pages["article"] = article.get_absolute_url()
    client = Client()
    counts = {}
    for name, path in pages.items():
        bump_content_version()  # a cold cache for this page
        with CaptureQueriesContext(connection) as cold:
            response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        with CaptureQueriesContext(connection) as warm:
            client.get(path)
        counts[name] = {"cold": len(cold), "warm": len(warm)}
        if name == "article":
            ceiling = ceiling_file()
            ceiling.parent.mkdir(parents=True, exist_ok=True)
            ceiling.write_bytes(response.content)
    counts["ceiling"] = {"cold": 0, "warm": 0}
    connections.close_all()
    return counts


def ceiling_file() -> Path:
    """Where the article page's HTML is saved, for both ceilings."""
    from django.conf import settings

    return Path(settings.STATIC_ROOT) / CEILING_PATH.removeprefix("/static/")


def wrk(url: str, seconds: int, connections: int, threads: int, paths=()) -> dict:
    env = {**os.environ, "BENCH_PATHS": "|".join(paths)}
    result = subprocess.run(
        [
            "wrk",
            f"-t{min(threads, connections)}",
            f"-c{connections}",
            f"-d{seconds}s",
            "--timeout",
            "10s",
            "-s",
            str(WRK_SCRIPT),
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
        env=env,
    )
    line = next(x for x in result.stdout.splitlines() if x.startswith("WRK_JSON "))
    return json.loads(line.removeprefix("WRK_JSON "))


def wrk_errors(run: dict) -> int:
    """Failed connections, reads, writes and timeouts, and non-2xx/3xx answers."""
    kinds = ("connect", "read", "write", "status")
    return sum(run[f"{kind}_errors"] for kind in kinds) + run["timeouts"]


def warm_up(url: str, requests: int = 50) -> None:
    for _ in range(requests):
        with urllib.request.urlopen(url, timeout=10) as response:
            response.read()


def measure(base: str, master: int, path: str, args: argparse.Namespace) -> dict:
    warm_up(base + path)
    pids = workers(master)
    database = args.database_name
    cpu_before = cpu_seconds(pids)
    with database_cpu(database) as db_seconds:
        run = wrk(base + path, args.duration, args.connections, args.threads)
    cpu = cpu_seconds(pids) - cpu_before
    per_request = 1000 / max(1, run["requests"])
    database_ms = round(db_seconds() * per_request, 2) if database else None
    seconds = run["duration_us"] / 1e6
    return {
        "requests": run["requests"],
        "rps": round(run["requests"] / seconds, 1),
        "p50_ms": round(run["p50_us"] / 1000, 2),
        "p99_ms": round(run["p99_us"] / 1000, 2),
        "errors": wrk_errors(run),
        "cpu_ms_per_request": round(1000 * cpu / max(1, run["requests"]), 2),
        "database_cpu_ms_per_request": database_ms,
    }


def soak(base: str, master: int, paths: list[str], args: argparse.Namespace) -> dict:
    pids = workers(master)
    samples: list[float] = []
    stop = threading.Event()

    def sample() -> None:
        while not stop.wait(1):
            samples.append(rss_mib(pids))

    sampler = threading.Thread(target=sample)
    sampler.start()
    try:
        run = wrk(base, args.soak, args.soak_connections, args.threads, paths)
    finally:
        stop.set()
        sampler.join()
    tenth = max(1, len(samples) // 6)
    first, last = statistics.mean(samples[:tenth]), statistics.mean(samples[-tenth:])
    return {
        "seconds": args.soak,
        "connections": args.soak_connections,
        "requests": run["requests"],
        "rps": round(run["requests"] / (run["duration_us"] / 1e6), 1),
        "p99_ms": round(run["p99_us"] / 1000, 2),
        "errors": wrk_errors(run),
        "workers_rss_mib_first_10s": round(first, 1),
        "workers_rss_mib_last_10s": round(last, 1),
        "workers_rss_growth_percent": round(100 * (last - first) / first, 1),
        "workers_restarted": workers(master) != pids,
    }


def main() -> None:
    args = parse_args()
    args.database_name = (
        urlsplit(args.database_url).path.lstrip("/")
        if args.database_url.startswith("postgres")
        else ""
    )
    env = environment(args)
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "twitchsite.settings")
    if not args.reuse_database:
        recreate_database(args.database_url)
    pages = {
        "home": "/",
        "article": "",  # a knowledge-base article, chosen once the data is loaded
        "causes filtered": "/causes/?category=lifestyle&area=face",
        "foods sorted": "/foods/?sort=-category",
        "search": "/search/?q=magnesium+deficiency",
    }
    queries = prepare(pages, fill=not args.reuse_database)
    if args.only:
        chosen = args.only.split(",")
        pages = {name: path for name, path in pages.items() if name in chosen}
    vendor = "postgresql" if args.database_url.startswith("postgres") else "sqlite"
    print(f"Pages: {json.dumps(pages)}")

    runs: dict[str, dict] = {}
    for state, page_cache in (("cold", False), ("warm", True)):
        with server(env, page_cache) as (base, master):
            for name, path in [*pages.items(), ("ceiling", CEILING_PATH)]:
                figures = measure(base, master, path, args)
                figures["sql_queries_per_request"] = queries[name][state]
                runs.setdefault(name, {})[state] = figures
                print(f"  {state:4} {name:16} {figures}", flush=True)
            if args.only:
                continue
            if state == "warm":
                soaked = soak(base, master, list(pages.values()), args)
                print(f"  soak {soaked}", flush=True)

    if args.only:
        return
    bare_env = {**env, "BENCH_BARE_BODY": str(ceiling_file())}
    with server(bare_env, True, app="bench.bare_app:application") as (base, master):
        figures = measure(base, master, "/", args)
        figures["sql_queries_per_request"] = 0
        runs["bare WSGI app"] = {"warm": figures}
        print(f"  warm bare WSGI app     {figures}", flush=True)
    ceiling = runs["ceiling"]["warm"]["rps"]
    bare = runs["bare WSGI app"]["warm"]["rps"]
    for page in runs.values():
        for figures in page.values():
            figures["ratio_to_ceiling"] = round(figures["rps"] / ceiling, 3)
            figures["ratio_to_bare"] = round(figures["rps"] / bare, 3)
    uncached = max(runs[name]["cold"]["cpu_ms_per_request"] for name in pages)
    report = {
        "database": vendor,
        "measured_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "machine": {"cpus": os.cpu_count()},
        "scale": SCALE,
        "server": {"workers": args.workers, "wrk_connections": args.connections},
        "pages": pages,
        "runs": runs,
        "soak": soaked,
        "targets": {
            "warm_article_ratio_at_least_0.5": runs["article"]["warm"][
                "ratio_to_ceiling"
            ]
            >= 0.5,
            "warm_article_at_least_half_the_bare_app": runs["article"]["warm"][
                "ratio_to_bare"
            ]
            >= 0.5,
            "uncached_cpu_ms_at_most_10": uncached <= 10,
            "soak_no_errors_steady_memory": soaked["errors"] == 0
            and soaked["workers_rss_growth_percent"] < 10
            and not soaked["workers_restarted"],
        },
    }
    print_table(report)
    save(args.output, report)


def db_cpu(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def print_table(report: dict) -> None:
    print()
    print(f"Database: {report['database']}  scale: {report['scale']}")
    header = (
        f"{'page':16} {'cache':5} {'req/s':>8} {'p50 ms':>7} {'p99 ms':>7} "
        f"{'errors':>6} {'SQL/req':>7} {'CPU ms/req':>10} {'DB CPU':>7} "
        f"{'x ceiling':>9} {'x bare':>6}"
    )
    print(header)
    print("-" * len(header))
    for name, states in report["runs"].items():
        for state, f in states.items():
            print(
                f"{name:16} {state:5} {f['rps']:8.0f} {f['p50_ms']:7.2f} "
                f"{f['p99_ms']:7.2f} {f['errors']:6d} "
                f"{f['sql_queries_per_request']:7d} "
                f"{f['cpu_ms_per_request']:10.2f} "
                f"{db_cpu(f['database_cpu_ms_per_request']):>7} "
                f"{f['ratio_to_ceiling']:9.2f} {f['ratio_to_bare']:6.2f}"
            )
    s = report["soak"]
    print(
        f"\nSoak: {s['seconds']} s at {s['connections']} connections, "
        f"{s['requests']:,} requests, {s['errors']} errors, p99 {s['p99_ms']} ms; "
        f"workers' memory {s['workers_rss_mib_first_10s']} -> "
        f"{s['workers_rss_mib_last_10s']} MiB ({s['workers_rss_growth_percent']:+}%)"
    )
    for target, met in report["targets"].items():
        print(f"  {'met   ' if met else 'MISSED'} {target}")


def save(path: Path, report: dict) -> None:
    results = json.loads(path.read_text()) if path.exists() else {}
    results[report["database"]] = report
    path.write_text(json.dumps(results, indent=2) + "\n")
    print(f"\nSaved to {path}")


if __name__ == "__main__":
    main()

"""CPU milliseconds per request of every kind of reader page, uncached, at scale.

For each scale (1x is 1,000 articles, 300 causes, 300 foods and 40 nutrients; 100x
is a hundred times that) a scratch database is filled, then each page is requested
in-process through Django's WSGI handler, with the whole middleware stack and the
production settings (DEBUG off), the page cache off:

- cpu: the median of this process's CPU time per request, over the repeats of
  every round (three rounds through the pages, 15 requests of each page in each);
- wall: the median wall time, which on PostgreSQL includes the database's work;
- first: the CPU time of the first request after the content version was raised,
  when every cached fragment is stale as well;
- SQL: queries per request.

``make bench`` runs this after the server runs, with ``--scales`` from its
``SCALES`` (default 1). Each scale runs in a process of its own; its database is
kept (``bench/pages-<N>x.sqlite3``, or ``twitchsite_bench_<N>x`` on PostgreSQL), and
``--reuse-database`` measures it again without refilling.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote_plus, urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.processes import (  # noqa: E402 - after the path is set
    production_environment,
    recreate_database,
)

BASE_SCALE = {"articles": 1000, "nutrients": 40, "causes": 300, "foods": 300}
# Every page must cost under this at 1x, and at most GROWTH times its 1x cost at
# any larger scale.
TARGET_MS = 5.0
# Each page is requested --repeats times in each of this many rounds.
ROUNDS = 3
GROWTH = 1.5
# Search's p95 wall time at 100,000 articles, uncached, must stay under this.
SEARCH_P95_MS = {"postgresql": 50, "sqlite": 100}


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--scales", default="1", help="comma-separated multiples of 1x, e.g. 1,10,100"
    )
    parser.add_argument(
        "--database-url",
        default=os.environ.get("DATABASE_URL", ""),
        help="PostgreSQL server to fill scratch databases on (default: SQLite files)",
    )
    parser.add_argument("--repeats", type=int, default=15)
    parser.add_argument(
        "--reuse-database",
        action="store_true",
        help="measure the databases an earlier run filled (a missing one is filled)",
    )
    parser.add_argument("--output", type=Path, default=ROOT / "bench" / "pages.json")
    parser.add_argument("--only", default="", help="comma-separated page names")
    parser.add_argument(
        "--profile",
        action="store_true",
        help="print a profile of each page measured (use with --only)",
    )
    parser.add_argument("--scale", type=int, help=argparse.SUPPRESS)  # one child
    return parser.parse_args(argv)


def scaled(factor: int) -> dict[str, int]:
    return {name: count * factor for name, count in BASE_SCALE.items()}


def scale_database_url(server: str, factor: int) -> str:
    if server.startswith(("postgres://", "postgresql://")):
        parts = urlsplit(server)
        return urlunsplit(parts._replace(path=f"/twitchsite_bench_{factor}x", query=""))
    return f"sqlite:///bench/pages-{factor}x.sqlite3"


def environment(database_url: str) -> dict[str, str]:
    """The production settings, pages rendered every time, fragments kept."""
    env = production_environment(database_url)
    env.update(
        DJANGO_SETTINGS_MODULE="twitchsite.settings",
        DJANGO_PAGE_CACHE_SECONDS="0",
        DJANGO_FRAGMENT_CACHE_SECONDS="600",
    )
    return env


def database_exists(database_url: str) -> bool:
    if database_url.startswith("sqlite:///"):
        return (ROOT / database_url.removeprefix("sqlite:///")).exists()
    import psycopg

    parts = urlsplit(database_url)
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        found = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [parts.path.lstrip("/")]
        )
        return found.fetchone() is not None


# -- one scale, in a process of its own ---------------------------------------------


def progress(message: str) -> None:
    print(f"    {message}", file=sys.stderr, flush=True)


def fill(factor: int) -> None:
    from django.core.management import call_command

    from bench import synthetic
    from search.index import rebuild_index

    started = time.perf_counter()
    call_command("load_knowledge", verbosity=0)
    synthetic.fill(synthetic.Scale(**scaled(factor)), progress=progress)
    progress("indexing for search")
    indexed = rebuild_index()
    synthetic.analyze()
    progress(
        f"{indexed:,} pages indexed; filled in {time.perf_counter() - started:.0f} s"
    )


def pages() -> dict[str, str]:
    """The pages measured: one of each kind a reader sees."""
    from knowledge.models import Article, Cause, Nutrient

    article = (
        Article.objects.published().filter(source__isnull=False).order_by("pk").first()
    )
    cause = Cause.objects.get(slug="magnesium-deficiency")
    nutrient = Nutrient.objects.get(slug="magnesium")
    return {
        "home": "/",
        "article": article.get_absolute_url(),
        "article list": "/articles/",
        "causes 2 filters": "/causes/?category=lifestyle&area=face",
        "nutrients table": "/nutrients/",
        "foods sorted": "/foods/?sort=-category",
        "cause page": cause.get_absolute_url(),
        "nutrient page": nutrient.get_absolute_url(),
        "search": "/search/?q=magnesium+deficiency",
        "feed": "/feed/",
        "sitemap index": "/sitemap.xml",
        "sitemap page": "/sitemap-articles.xml",
    }


def request(handler, path: str) -> tuple[int, int]:
    """One GET through the whole stack; its status and the body's length."""
    path, _, query = path.partition("?")
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SCRIPT_NAME": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": "127.0.0.1",
        "HTTP_ACCEPT_ENCODING": "gzip",
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
        "wsgi.version": (1, 0),
    }
    status = []
    response = handler(environ, lambda s, headers, exc_info=None: status.append(s))
    try:
        size = sum(len(chunk) for chunk in response)
    finally:
        response.close()
    return int(status[0].split()[0]), size


def measure(repeats: int, only: set[str], profile: bool = False) -> dict:
    """Each page's first request after a content change, its queries, then
    ``repeats`` requests of it in each of ``ROUNDS`` rounds through the pages:
    a burst of other work on the machine (a vacuum, say) then touches every
    page a little rather than one page a lot."""
    from django.core.handlers.wsgi import WSGIHandler
    from django.db import connection

    from knowledge.content_version import bump_content_version

    handler = WSGIHandler()
    chosen = {name: path for name, path in pages().items() if not only or name in only}
    measured, cpu, wall = {}, {}, {}
    for name, path in chosen.items():
        bump_content_version()
        start = time.process_time()
        status, size = request(handler, path)
        first = time.process_time() - start
        assert status == 200, (path, status)
        queries = []

        def count(execute, sql, *args, queries=queries):
            queries.append(sql)
            return execute(sql, *args)

        with connection.execute_wrapper(count):
            request(handler, path)
        measured[name] = {
            "path": path,
            "first_cpu_ms": round(1000 * first, 2),
            "sql_queries": len(queries),
            "bytes": size,
        }
        cpu[name], wall[name] = [], []
    for _round in range(ROUNDS):
        for name, path in chosen.items():
            for _ in range(repeats):
                started, clock = time.process_time(), time.perf_counter()
                request(handler, path)
                cpu[name].append(time.process_time() - started)
                wall[name].append(time.perf_counter() - clock)
    for name, path in chosen.items():
        measured[name] |= {
            "cpu_ms": round(1000 * statistics.median(cpu[name]), 2),
            "wall_ms": round(1000 * statistics.median(wall[name]), 2),
        }
        progress(f"{name:18} {measured[name]}")
        if profile:
            profiled(handler, path, repeats)
    return measured


def profiled(handler, path: str, repeats: int) -> None:
    """Where a page's time goes: the functions with the most cumulative time."""
    import cProfile
    import pstats

    profiler = cProfile.Profile(time.process_time)
    profiler.enable()
    for _ in range(repeats):
        request(handler, path)
    profiler.disable()
    stats = pstats.Stats(profiler, stream=sys.stderr)
    stats.sort_stats("cumulative").print_stats(45)


def search_latency(rounds: int = 5) -> dict:
    """Wall time of a fixed list of searches through the whole stack, each
    computed afresh (the results kept per content version are not used)."""
    from django.core.handlers.wsgi import WSGIHandler
    from django.test import override_settings

    from bench.search import QUERIES, percentile

    handler = WSGIHandler()
    timings: dict[str, list[float]] = {query: [] for query in QUERIES}
    with override_settings(SEARCH_CACHE=""):
        for query in QUERIES:  # warm-up
            request(handler, f"/search/?q={quote_plus(query)}")
        for _ in range(rounds):
            for query in QUERIES:
                started = time.perf_counter()
                status, _size = request(handler, f"/search/?q={quote_plus(query)}")
                timings[query].append(1000 * (time.perf_counter() - started))
                assert status == 200, (query, status)
    every = [t for values in timings.values() for t in values]
    return {
        "requests": len(every),
        "p50_ms": round(statistics.median(every), 1),
        "p95_ms": round(percentile(every, 0.95), 1),
        "per_query_p50_ms": {
            query: round(statistics.median(values), 1)
            for query, values in timings.items()
        },
    }


def child(args: argparse.Namespace) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("collectstatic", interactive=False, verbosity=0)
    call_command("migrate", verbosity=0)  # a database kept from an earlier run too
    factor = args.scale
    if not args.reuse_database:
        fill(factor)
    result = {
        "scale": factor,
        "counts": scaled(factor),
        "database": connection.vendor,
        "pages": measure(
            args.repeats, set(filter(None, args.only.split(","))), args.profile
        ),
    }
    if not args.only:
        result["search"] = search_latency()
        progress(f"search, uncached: {result['search']}")
    print("PAGES_JSON " + json.dumps(result))


# -- every scale, and the table -----------------------------------------------------


def run_scale(args: argparse.Namespace, factor: int) -> dict:
    url = scale_database_url(args.database_url, factor)
    counts = ", ".join(f"{n:,} {name}" for name, n in scaled(factor).items())
    print(f"{factor}x ({counts}) on {url}", flush=True)
    # --reuse-database measures a database an earlier run filled; a scale that
    # has none yet is filled.
    reuse = args.reuse_database and database_exists(url)
    if not reuse:
        recreate_database(url)
    command = [sys.executable, __file__, "--scale", str(factor)]
    command += ["--repeats", str(args.repeats), "--only", args.only]
    command += ["--reuse-database"] * reuse
    command += ["--profile"] * args.profile
    result = subprocess.run(
        command,
        cwd=ROOT,
        env=environment(url),
        stdout=subprocess.PIPE,
        stderr=None,
        text=True,
        check=True,
    )
    line = next(x for x in result.stdout.splitlines() if x.startswith("PAGES_JSON "))
    return json.loads(line.removeprefix("PAGES_JSON "))


def table(results: list[dict]) -> list[str]:
    vendor = results[0]["database"]
    scales = [f"{r['scale']}x" for r in results]
    names = list(results[0]["pages"])
    lines = [
        f"CPU ms per request, uncached, {vendor} "
        "(median; wall ms and SQL queries at the largest scale)",
        f"{'page':18} " + " ".join(f"{s:>8}" for s in scales) + "  wall ms  SQL",
    ]
    for name in names:
        figures = [r["pages"][name] for r in results]
        cells = " ".join(f"{f['cpu_ms']:8.2f}" for f in figures)
        last = figures[-1]
        lines.append(
            f"{name:18} {cells} {last['wall_ms']:8.2f} {last['sql_queries']:4d}"
        )
    return lines


def targets(results: list[dict]) -> dict[str, bool]:
    base = results[0]["pages"]
    met = {
        f"every page under {TARGET_MS} ms at {results[0]['scale']}x": all(
            page["cpu_ms"] < TARGET_MS for page in base.values()
        )
    }
    for result in results[1:]:
        met[f"every page at most {GROWTH}x its cost at {result['scale']}x"] = all(
            page["cpu_ms"] <= GROWTH * max(base[name]["cpu_ms"], 1.0)
            for name, page in result["pages"].items()
        )
    for result in results:
        if "search" in result and result["counts"]["articles"] >= 100_000:
            limit = SEARCH_P95_MS[result["database"]]
            met[f"search p95 under {limit} ms at {result['scale']}x"] = (
                result["search"]["p95_ms"] < limit
            )
    return met


def main(argv=None) -> dict:
    args = parse_args(argv)
    if args.scale:
        child(args)
        return {}
    factors = [int(s) for s in args.scales.split(",")]
    results = [run_scale(args, factor) for factor in factors]
    report = {
        "database": results[0]["database"],
        "measured_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "results": results,
        "targets": targets(results),
    }
    print()
    print("\n".join(table(results)))
    searches = [r for r in results if "search" in r]
    if searches:
        print(
            "\nSearch wall ms, uncached, p50 / p95: "
            + ", ".join(
                f"{r['scale']}x {r['search']['p50_ms']} / {r['search']['p95_ms']}"
                for r in searches
            )
        )
    for target, met in report["targets"].items():
        print(f"  {'met   ' if met else 'MISSED'} {target}")
    saved = json.loads(args.output.read_text()) if args.output.exists() else {}
    saved[report["database"]] = report
    args.output.write_text(json.dumps(saved, indent=2) + "\n")
    return report


if __name__ == "__main__":
    main()

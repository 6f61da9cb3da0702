"""Lighthouse scores 100 in every category on the site's main kinds of page.

Google Lighthouse (npm package ``lighthouse``), run by tools/lighthouse.py with
Debian's Chromium, audits the home page, a condition, a cause and an article, each
with its default mobile emulation and with its desktop preset, in the categories
performance, accessibility, best practices and SEO. The site is served as `make
serve` serves it (tools/serve.py): gunicorn, DEBUG off, hashed and compressed static
files, over a scratch SQLite database loaded from the knowledge base.

What is real and what is not:

- Real: every audit Lighthouse runs by default in those categories; none is
  switched off. The pages, their headers and their static files are production's.
- Loopback: the site is reached at http://localhost, which Lighthouse, like
  browsers, counts as a secure origin, so its HTTPS audits judge the pages as they
  would the deployment behind TLS (``is-on-https`` passes for requests to the site
  and would still fail one to another origin over plain HTTP; ``redirects-http`` is
  not applicable, as for a site reached over https:// first). The informative
  ``has-hsts``, which weighs nothing, finds no HSTS header: Django sends it only
  on secure requests (test_observatory.py checks it). The network is
  Lighthouse's simulated one, for the phone a slow 4G connection.
- Noise: performance is scored from what each load really cost on this machine, so
  a run whose performance is under 100 is repeated twice and the median of the
  three counts, as Lighthouse's documentation on variability advises.

The server uses its own SQLite database whatever DATABASE_URL says, so the test runs
in the SQLite run of the suite only. `pytest -s` prints every score, the audits
that cost points and the time taken; `make lighthouse` runs the same audits and
keeps the HTML reports."""

from __future__ import annotations

import os
import time

import pytest

from tests.tools import tool_missing
from tools.lighthouse import (
    FORM_FACTORS,
    PAGES,
    Run,
    audit,
    missing_tools,
    summary,
)
from tools.serve import production_server

pytestmark = pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")),
    reason="runs in the SQLite run of the suite: its server has a scratch SQLite "
    "database of its own whatever DATABASE_URL says",
)


@pytest.fixture(scope="module")
def lighthouse_runs(tmp_path_factory) -> dict[tuple[str, str], Run]:
    """Every page on every form factor, audited once for the module."""
    missing = missing_tools()
    if missing:
        tool_missing("Lighthouse needs " + " and ".join(missing))
    started = time.perf_counter()
    with production_server() as base_url:
        runs = audit(base_url, tmp_path_factory.mktemp("lighthouse"))
    seconds = time.perf_counter() - started
    # Shown by `pytest -s`: the scores, what cost points, and how long it took.
    print(summary(runs))  # noqa: T201
    print(f"\n{len(runs)} pages audited in {seconds:.0f} s, server included")  # noqa: T201
    return {(run.page, run.form_factor): run for run in runs}


@pytest.mark.parametrize("form_factor", FORM_FACTORS)
@pytest.mark.parametrize("kind", PAGES)
def test_lighthouse_scores_100_in_every_category(lighthouse_runs, kind, form_factor):
    run = lighthouse_runs[(kind, form_factor)]
    short = {category: score for category, score in run.scores.items() if score != 1}
    assert not short, f"{run.label} scored {short}:\n{summary([run])}"

"""The MDN HTTP Observatory grades the site A+.

The grading is the Observatory's own code, the npm package @mdn/mdn-http-observatory,
run by tests/observatory_grade.mjs against the site served over real HTTP on
loopback with its production security settings. What is real and what is simulated:

- Real: the site's responses (every middleware, the views, the templates), read by
  the package's scanner as it reads any site: the http:// request and the redirect
  to https:// that SecurityMiddleware answers, the https:// page, the cookies it
  sets, /robots.txt and a CORS preflight; then the package's ten sub-tests, its
  score modifiers and its grade chart.
- Simulated: the transport. There is no DNS name and no TLS here: connections for
  http://twitch.example/ and https://twitch.example/ go to the loopback server,
  and the https:// ones arrive in plain text with X-Forwarded-Proto: https, as from
  a proxy that terminates TLS (DJANGO_BEHIND_PROXY). The scanner meets no
  certificate, so it counts the certificate as valid. The Observatory does not
  grade TLS itself, but with an invalid certificate its redirection and HSTS
  sub-tests fail: the deployment must have a valid one. The HSTS preload list is
  taken as empty, so the host gets no credit for being preloaded.
- Not graded by the Observatory at all: a page answering 404. Its scan() stops with
  an error, so the not-found page is graded from the package's parts, put together
  as scan() puts them (the other pages check that they give scan()'s own verdict)."""

import json
import os
import runpy
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.urls import reverse
from pytest_django.live_server_helper import LiveServer

from tests.factories import ArticleFactory, CauseFactory
from tests.tools import tool_missing

# The scanner's requests reach the server from another process: the data must be
# committed, so the test runs outside a transaction.
pytestmark = pytest.mark.django_db(transaction=True)


HOSTNAME = "twitch.example"


BASE_DIR = django_settings.BASE_DIR


SCRIPT = Path(__file__).with_name("observatory_grade.mjs")


OBSERVATORY = BASE_DIR / "node_modules" / "@mdn" / "mdn-http-observatory"


# The settings a production deployment behind a TLS-terminating proxy gets from
# twitchsite/settings.py; the test suite's environment relaxes some of them.
PRODUCTION_ENVIRONMENT = {
    "DJANGO_DEBUG": "false",
    "DJANGO_SECRET_KEY": "a-production-secret-only-for-reading-the-settings",
    "DJANGO_ALLOWED_HOSTS": HOSTNAME,
    "DJANGO_BEHIND_PROXY": "true",
}


SECURITY_SETTINGS = (
    "ALLOWED_HOSTS",
    "DEBUG",
    "CONTENT_SECURITY_POLICY",
    "PERMISSIONS_POLICY",
    "X_FRAME_OPTIONS",
)


SECURITY_PREFIXES = ("SECURE_", "SESSION_COOKIE_", "CSRF_COOKIE_")


def observatory_command() -> list[str]:
    """How to run the grader; skip where it is missing, but never under CI."""
    node = shutil.which("node")
    missing = []
    if node is None:
        missing.append("node (Node.js 20 or later)")
    if not (OBSERVATORY / "package.json").exists():
        missing.append(f"{OBSERVATORY} (run `npm ci --ignore-scripts`)")
    if missing:
        reason = "The MDN HTTP Observatory needs " + " and ".join(missing)
        tool_missing(reason)
    return [node, str(SCRIPT)]


def production_security_settings() -> dict:
    """Read twitchsite/settings.py afresh, in a production environment."""
    with pytest.MonkeyPatch.context() as environment:
        for name in list(os.environ):
            if name.startswith("DJANGO_"):
                environment.delenv(name)
        for name, value in PRODUCTION_ENVIRONMENT.items():
            environment.setenv(name, value)
        production = runpy.run_path(str(BASE_DIR / "twitchsite" / "settings.py"))
    return {
        name: value
        for name, value in production.items()
        if name in SECURITY_SETTINGS or name.startswith(SECURITY_PREFIXES)
    }


@pytest.fixture
def production_server(settings):
    """The site on loopback with the security settings of production."""
    for name, value in production_security_settings().items():
        setattr(settings, name, value)
    # A server of its own: the middleware reads the settings when it is built.
    server = LiveServer("127.0.0.1:0")
    yield server.url
    server.stop()


def report(pages: list[dict]) -> str:
    """Each page's grade and score, and every sub-test's result."""
    lines = []
    for page in pages:
        scan, parts = page["scan"], page["parts"]
        if "grade" in scan:
            graded, how = scan, "scan()"
        else:
            graded, how = parts, f"its parts (scan(): {scan['error']})"
        lines.append(
            f"{page['path']} (HTTP {graded['statusCode']}): "
            f"{graded['grade']}, {graded['score']}/100, graded by {how}"
        )
        for name, test in graded["tests"].items():
            outcome = "pass" if test["pass"] else "FAIL"
            route = " <- " + " -> ".join(test["route"]) if test.get("route") else ""
            lines.append(
                f"    {outcome} {test['scoreModifier']:+3d} {name}: "
                f"{test['result']}{route}"
            )
    return "\n".join(lines)


def test_the_observatory_grades_every_kind_of_page_a_plus(production_server):
    command = observatory_command()
    article = ArticleFactory()
    CauseFactory()
    pages = {
        "/": 200,
        article.get_absolute_url(): 200,
        reverse("knowledge:cause-list") + "?sort=name": 200,
        # The one page that sets a cookie for every visitor: the CSRF token.
        reverse("admin:login"): 200,
        "/no/such/page/": 404,
    }

    result = subprocess.run(
        [*command, production_server, HOSTNAME, *pages],
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    graded = json.loads(result.stdout)
    summary = report(graded)
    print(summary)  # noqa: T201 - shown by `pytest -s`: how the grade was reached

    problems = []
    for page in graded:
        path, scan, parts = page["path"], page["scan"], page["parts"]
        assert parts["statusCode"] == pages[path], summary
        if parts["statusCode"] == 200:
            # scan() is the Observatory's own verdict. The same grade, score and
            # results from the package's parts show that they are put together
            # as scan() puts them.
            assert "error" not in scan, summary
            assert (parts["grade"], parts["score"]) == (scan["grade"], scan["score"])
            assert parts["tests"] == scan["tests"], summary
        else:
            # The Observatory grades no page that answers 404 (it stops with
            # an error), so the not-found page is graded from the parts.
            assert "status code 404" in scan["error"], summary
        if parts["grade"] != "A+":
            problems.append(f"{path}: {parts['grade']}, {parts['score']}/100")
        # Stricter than A+, which leaves room for a sub-test to fail: none may.
        problems += [
            f"{path}: {name} failed: {test['result']}"
            for name, test in parts["tests"].items()
            if not test["pass"]
        ]
    assert not problems, "\n".join(problems) + "\n\n" + summary

"""Browser tests: Debian's Chromium driven by Playwright against a live server.

See /work/shared/TESTING.md. Never run ``playwright install``: it downloads a browser.
Where Chromium is missing these tests skip on a developer's machine and fail under
CI (``CI=true``), where ``.ci/run`` installs Chromium first.
"""

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from playwright.sync_api import Page
from pytest_django.live_server_helper import LiveServer

from tests.browser.editors import PASSWORD, log_in
from tests.knowledge_base import assert_test_database, restore_knowledge_base
from tests.tools import in_ci
from tools.chromium import CHROMIUM, CHROMIUM_ARGS, missing_reason

# Sync Playwright runs an event loop in the test thread; Django's ORM would
# otherwise refuse to run there (SynchronousOnlyOperation).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

BROWSER_DIR = Path(__file__).resolve().parent


def pytest_configure(config):
    # pytest-playwright 0.10's own base_url fixture trips a pytest 9 deprecation.
    config.addinivalue_line(
        "filterwarnings",
        "ignore:Session-scoped fixtures defined as instance methods"
        ":pytest.PytestRemovedIn10Warning",
    )


def pytest_collection_modifyitems(config, items):
    """Mark every test under tests/browser; skip them where Chromium is missing.

    A ``reader`` module's tests use no database fixture of their own: marking them
    ``django_db`` makes pytest-django set up the test database for them even when
    they run alone, instead of leaving the connection on the site's own database.
    """
    missing = not CHROMIUM.exists()
    for item in items:
        if BROWSER_DIR not in Path(str(item.path)).resolve().parents:
            continue
        item.add_marker(pytest.mark.browser)
        if item.get_closest_marker("reader"):
            item.add_marker(pytest.mark.django_db)
        if missing and not in_ci():
            item.add_marker(pytest.mark.skip(reason=missing_reason()))


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not CHROMIUM.exists():
        # Only reached under CI: elsewhere the tests were skipped at collection.
        pytest.fail(f"CI=true but {missing_reason()}", pytrace=False)
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "args": CHROMIUM_ARGS,
    }


@pytest.fixture(scope="module")
def reader_site(django_db_blocker, knowledge_base_snapshot):
    """A live server over the real knowledge base, shared by a module's tests.

    For modules marked ``reader``, whose tests only read: the knowledge base is
    written once for the module, and the database is emptied after its last test,
    as a transactional test leaves it. The server is started here, not through
    ``live_server``, which would empty the database after every test.
    """
    with django_db_blocker.unblock():
        restore_knowledge_base(knowledge_base_snapshot)
        server = LiveServer("localhost")
        try:
            yield server
        finally:
            server.stop()
            assert_test_database()
            call_command("flush", interactive=False, verbosity=0)


@pytest.fixture
def site(request, knowledge_base_snapshot):
    """The live server, serving the real knowledge base.

    In a module marked ``reader``, the module's shared server. Otherwise
    ``live_server`` runs in another thread, so the data must be committed: it is
    written per test into the transactional database, which is emptied after each
    test.
    """
    if request.node.get_closest_marker("reader"):
        return request.getfixturevalue("reader_site")
    request.getfixturevalue("transactional_db")
    restore_knowledge_base(knowledge_base_snapshot)
    return request.getfixturevalue("live_server")


@pytest.fixture
def url(site) -> Callable[[str], str]:
    """The absolute URL of a path on the live server."""
    return lambda path: site.url + path


@pytest.fixture
def visit(page, url):
    """Open a path in the browser and check the status it was served with."""

    def open_path(path: str, status: int = 200, on=None):
        target = on or page
        response = target.goto(url(path))
        assert response is not None, f"no response for {path}"
        assert response.status == status, f"{path} answered {response.status}"
        return target

    return open_path


@pytest.fixture
def csp_watch():
    """Call it with a page to record that page's Content-Security-Policy violations."""
    violations: list[str] = []

    def watch(page) -> None:
        page.on(
            "console",
            lambda message: (
                violations.append(f"{page.url}: {message.text}")
                if "Content Security Policy" in message.text
                else None
            ),
        )

    watch.violations = violations
    return watch


@pytest.fixture(autouse=True)
def _no_content_security_policy_violations(request, csp_watch):
    """Fail any browser test whose pages broke the site's Content-Security-Policy.

    The policy forbids inline script and style and anything from other hosts; this
    proves the public pages, the admin and the Markdown editor work under it. Pages
    opened in other contexts must be passed to ``csp_watch`` to be checked.
    """
    if "browser" not in request.keywords:
        yield
        return
    context = request.getfixturevalue("context")
    for page in context.pages:
        csp_watch(page)
    context.on("page", csp_watch)
    yield
    assert not csp_watch.violations, "Content-Security-Policy violations:\n" + (
        "\n".join(csp_watch.violations)
    )


@pytest.fixture
def make_user(roles, django_user_model):
    """An editor in a role, with the password ``log_in`` types."""

    def make(username: str, group: str):
        user = django_user_model.objects.create_user(
            username, password=PASSWORD, is_staff=True
        )
        user.groups.add(Group.objects.get(name=group))
        return user

    return make


@pytest.fixture
def browse(new_context, live_server, csp_watch):
    """A fresh browser for one person: logged in as ``username``, or anonymous."""

    def open_browser(username: str | None = None) -> Page:
        page = new_context(base_url=live_server.url).new_page()
        csp_watch(page)
        if username:
            log_in(page, username)
        return page

    return open_browser

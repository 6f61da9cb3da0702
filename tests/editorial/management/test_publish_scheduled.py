"""The schedule: articles go live and leave the site when their time comes."""

import subprocess
from datetime import timedelta
from http import HTTPStatus
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from editorial.management.commands import publish_scheduled
from editorial.services import article_log_label, article_transition
from knowledge.models import Article
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[3]


def run(**options) -> str:
    out = StringIO()
    call_command("publish_scheduled", stdout=out, **options)
    return out.getvalue()


def at(monkeypatch, when) -> None:
    monkeypatch.setattr(timezone, "now", lambda: when)


@pytest.fixture
def live(publisher):
    return ArticleFactory(title="Winter advice")


def test_a_live_article_leaves_the_site_at_its_unpublish_time(
    client, live, publisher, monkeypatch
):
    leave = timezone.now() + timedelta(hours=2)
    article_transition(
        article=live, user=publisher, action="unpublish", unpublish_at=leave
    )
    assert run() == "0 scheduled step(s) taken.\n"  # too early
    assert client.get(live.get_absolute_url()).status_code == HTTPStatus.OK
    url = live.get_absolute_url()
    at(monkeypatch, leave + timedelta(minutes=1))
    assert run() == "Unpublished “Winter advice”.\n"
    assert client.get(url).status_code == HTTPStatus.NOT_FOUND
    live.refresh_from_db()
    assert (live.status, live.published_at, live.unpublish_at) == (
        Article.Status.DRAFT,
        None,
        None,
    )
    step = live.transitions.first()
    assert (step.user, step.action, step.comment) == (None, "unpublish", "Scheduled")
    assert article_log_label(step) == "Unpublished"
    assert run() == "0 scheduled step(s) taken.\n"  # once only


def approve_new_version(article, author, reviewer) -> None:
    article.refresh_from_db()
    article.body = "A new version."
    article._history_user = author
    article.save()
    Article.objects.filter(pk=article.pk).update(status=Article.Status.DRAFT)
    article_transition(article=article, user=author, action="submit")
    article_transition(article=article, user=reviewer, action="approve")


@pytest.mark.parametrize("unpublish_first", [True, False])
def test_the_schedule_takes_its_steps_in_the_order_of_their_times(
    live, author, reviewer, publisher, monkeypatch, unpublish_first
):
    """A new version to go live, and the page to leave the site: the final state
    depends on which came first, whenever the schedule runs."""
    now = timezone.now()
    approve_new_version(live, author, reviewer)
    publish_at, unpublish_at = now + timedelta(hours=1), now + timedelta(hours=2)
    if unpublish_first:
        publish_at, unpublish_at = unpublish_at, publish_at
    article_transition(
        article=live, user=publisher, action="publish", publish_at=publish_at
    )
    article_transition(
        article=live, user=publisher, action="unpublish", unpublish_at=unpublish_at
    )
    at(monkeypatch, now + timedelta(hours=3))  # the schedule was down meanwhile
    out = run()
    live.refresh_from_db()
    if unpublish_first:
        assert out == "Unpublished “Winter advice”.\nPublished “Winter advice”.\n"
        assert live.live_body_html.startswith("<p>A new version.")
        assert live.status == Article.Status.PUBLISHED
    else:
        assert out == "Published “Winter advice”.\nUnpublished “Winter advice”.\n"
        assert not live.live_title and live.status == Article.Status.DRAFT


def test_a_cancelled_schedule_does_nothing_when_its_time_comes(
    draft, author, reviewer, publisher, monkeypatch
):
    article_transition(article=draft, user=author, action="submit")
    article_transition(article=draft, user=reviewer, action="approve")
    go_live = timezone.now() + timedelta(hours=1)
    article_transition(
        article=draft, user=publisher, action="publish", publish_at=go_live
    )
    article_transition(article=draft, user=publisher, action="cancel_publication")
    at(monkeypatch, go_live + timedelta(minutes=1))
    assert run() == "0 scheduled step(s) taken.\n"
    draft.refresh_from_db()
    assert (draft.status, draft.published_at) == (Article.Status.APPROVED, None)


def test_the_loop_runs_until_stopped(draft, monkeypatch):
    Article.objects.filter(pk=draft.pk).update(
        status=Article.Status.APPROVED, scheduled_at=timezone.now()
    )
    sleeps = []

    def sleep(seconds):
        sleeps.append(seconds)
        if len(sleeps) == 2:
            raise KeyboardInterrupt  # Ctrl-C, as `make run` stops it

    monkeypatch.setattr(publish_scheduled.time, "sleep", sleep)
    assert run(loop=True, interval=5) == "Published “Eyelid twitching”.\n"
    assert sleeps == [5, 5]  # it ran three times, quietly once idle
    draft.refresh_from_db()
    assert draft.status == Article.Status.PUBLISHED


def test_the_loop_ends_when_what_started_it_is_gone(monkeypatch):
    parents = iter([100, 100, 1])  # started by 100, then adopted by init
    monkeypatch.setattr(publish_scheduled.os, "getppid", lambda: next(parents))
    monkeypatch.setattr(publish_scheduled.time, "sleep", lambda seconds: None)
    assert run(loop=True) == ""


def test_make_run_starts_the_schedule_beside_the_server():
    recipe = subprocess.run(
        ["make", "-n", "run"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    scheduler = recipe.index("manage.py publish_scheduled --loop &")
    assert scheduler < recipe.index("manage.py runserver")
    assert "trap 'kill $scheduler" in recipe

"""The audit log's admin page: read-only, filtered by who, what and when."""

from datetime import timedelta
from http import HTTPStatus

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from knowledge.models import Article, Cause
from tests.factories import ArticleFactory, CauseFactory

pytestmark = pytest.mark.django_db

URL = reverse("admin:audit_log")


def edit(article: Article, user, title: str) -> None:
    article.title, article._history_user = title, user
    article.save()


def test_an_editor_reads_who_changed_what_across_models(client, author, reviewer):
    edit(ArticleFactory(title="Cramps"), author, "Night cramps")
    cause = CauseFactory(name="Stress")
    cause.name, cause._history_user = "Anxiety and stress", reviewer
    cause.save()
    client.force_login(reviewer)
    page = client.get(URL)
    assert page.status_code == HTTPStatus.OK
    text = page.text
    assert text.index("Anxiety and stress") < text.index("Night cramps")
    row = f'Cause: <a href="/admin/knowledge/cause/{cause.pk}/change/">'
    assert row in text
    assert "<td>title</td>" in text and "<td>name</td>" in text
    assert "<td>author</td>" in text and "<td>reviewer</td>" in text


def test_the_filters_narrow_the_list(client, author, reviewer):
    edit(ArticleFactory(title="One"), author, "By the author")
    edit(ArticleFactory(title="Two"), reviewer, "By the reviewer")
    cause = CauseFactory(name="A cause")
    client.force_login(reviewer)
    by_author = client.get(URL, {"user": author.pk}).text
    assert "By the author" in by_author and "By the reviewer" not in by_author
    causes = client.get(URL, {"model": "knowledge.cause"}).text
    assert cause.name in causes and "By the author" not in causes
    tomorrow = timezone.localdate() + timedelta(days=1)
    later = client.get(URL, {"since": tomorrow.isoformat()}).text
    assert "No change matches." in later
    today = client.get(URL, {"until": timezone.localdate().isoformat()}).text
    assert "By the author" in today and "By the reviewer" in today


@pytest.mark.parametrize(
    ("query", "error"),
    [
        ({"since": "2026-13-45"}, "Enter a valid date."),
        ({"user": "abc"}, "Select a valid choice."),
        ({"model": "auth.user"}, "Select a valid choice."),
        ({"since": "2026-05-02", "until": "2026-05-01"}, "“From” is after “To”"),
    ],
)
def test_a_filter_that_makes_no_sense_is_a_form_error(client, reviewer, query, error):
    client.force_login(reviewer)
    response = client.get(URL, query)
    assert response.status_code == HTTPStatus.OK
    assert error in response.text


def test_the_page_changes_nothing(client, reviewer):
    client.force_login(reviewer)
    assert client.post(URL).status_code == HTTPStatus.METHOD_NOT_ALLOWED


def test_the_page_is_refused_to_staff_who_may_see_nothing(client, django_user_model):
    staff = django_user_model.objects.create_user("staff", password="x", is_staff=True)
    client.force_login(staff)
    assert client.get(URL).status_code == HTTPStatus.FORBIDDEN
    client.logout()
    assert client.get(URL).status_code == HTTPStatus.FOUND  # to the login page


def test_an_editor_sees_only_the_changes_to_what_they_may_see(
    client, django_user_model
):
    CauseFactory(name="A visible cause")
    edit(ArticleFactory(title="Hidden"), None, "A hidden article")
    staff = django_user_model.objects.create_user("staff", password="x", is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="view_cause"))
    client.force_login(staff)
    page = client.get(URL).text
    assert "A visible cause" in page and "A hidden article" not in page
    assert client.get(URL, {"model": "knowledge.article"}).status_code == HTTPStatus.OK


def queries(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(URL).status_code == HTTPStatus.OK
    return len(captured)


def test_a_page_costs_the_same_queries_for_3_or_30_changes(client, reviewer):
    client.force_login(reviewer)

    def fill(count: int) -> None:
        for n in range(count):
            edit(ArticleFactory(), reviewer, f"Article edited {n}")
            cause = CauseFactory()
            cause.name = f"{cause.name}, renamed"
            cause.save()

    fill(1)
    few = queries(client)
    fill(14)
    assert Cause.history.count() == 30
    assert queries(client) == few

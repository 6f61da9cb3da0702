"""The editorial workflow: roles, transitions, review records and the admin."""

from datetime import UTC, datetime
from http import HTTPStatus

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from knowledge.models import Article
from tests.factories import ArticleFactory, CauseFactory, NutrientFactory

pytestmark = pytest.mark.django_db


URL = reverse("editorial:markdown-preview")


PAYLOAD = "# Hi\n\n<img src=x onerror=alert(1)>"


def test_preview_shows_the_working_version_to_staff_only(client, draft, author):
    url = reverse("editorial:article-preview", args=[draft.pk])
    assert client.get(url).status_code == HTTPStatus.FORBIDDEN
    client.force_login(author)
    response = client.get(url)
    assert response.status_code == HTTPStatus.OK
    assert "<h1>Eyelid twitching</h1>" in response.text
    assert '<meta name="robots" content="noindex, nofollow">' in response.text
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert "no-store" in response["Cache-Control"]
    assert "Readers do not see this page" in response.text


def test_preview_shows_the_working_causes_and_nutrients(client, author):
    article = ArticleFactory()
    live_cause, working_cause = CauseFactory(), CauseFactory()
    article.live_causes.set([live_cause])
    article.causes.set([working_cause])
    article.nutrients.set([NutrientFactory(name="Magnesium")])
    client.force_login(author)
    page = client.get(reverse("editorial:article-preview", args=[article.pk])).text
    assert working_cause.get_absolute_url() in page
    assert live_cause.get_absolute_url() not in page
    assert ">Magnesium</a>" in page


def test_anonymous_visitors_cannot_use_the_preview(client):
    response = client.post(URL, {"content": PAYLOAD})
    assert response.status_code == HTTPStatus.FORBIDDEN


def test_staff_without_article_permission_cannot_use_the_preview(
    client, django_user_model
):
    user = django_user_model.objects.create_user("staff", password="x", is_staff=True)
    client.force_login(user)
    assert client.post(URL, {"content": PAYLOAD}).status_code == HTTPStatus.FORBIDDEN


def test_editors_get_the_sanitised_page_rendering(client, django_user_model):
    user = django_user_model.objects.create_user("editor", password="x", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="change_article"))
    client.force_login(user)
    response = client.post(URL, {"content": PAYLOAD})
    assert response.status_code == HTTPStatus.OK
    assert "<h2" in response.text
    assert "<img" not in response.text


def test_preview_refuses_bodies_over_100_kb(admin_client):
    response = admin_client.post(URL, {"content": "a" * 100_001})
    assert response.status_code == HTTPStatus.REQUEST_ENTITY_TOO_LARGE


def test_preview_only_accepts_post(admin_client):
    assert admin_client.get(URL).status_code == HTTPStatus.METHOD_NOT_ALLOWED


def test_an_author_without_staff_status_uses_the_preview(
    client, django_user_model, roles, draft
):
    user = django_user_model.objects.create_user("writer", password="x")
    user.groups.add(Group.objects.get(name="Authors"))
    client.force_login(user)
    assert client.post(URL, {"content": "# Hi"}).status_code == HTTPStatus.OK
    preview = reverse("editorial:article-preview", args=[draft.pk])
    assert client.get(preview).status_code == HTTPStatus.OK


# The content checks, on the preview and beside the editor.

CHECKS_URL = reverse("editorial:content-checks")
FLAWED = "## Causes\n\n#### Stress\n\nText.\n\n![](/media/markdownx/a.png)"


def test_preview_shows_the_checks_of_the_working_version(client, author):
    article = ArticleFactory(
        title="Eyelid twitching", status=Article.Status.DRAFT, body=FLAWED
    )
    client.force_login(author)
    response = client.get(reverse("editorial:article-preview", args=[article.pk]))
    assert response.status_code == HTTPStatus.OK
    banner = response.text.split('class="preview-banner"')[1].split("</div>")[0]
    assert "Before you send this for review" in banner
    assert "The heading “Stress” skips a level" in banner
    assert "The image “a.png” after “Causes Stress Text.” has no alt text" in banner
    assert "No problems found" not in banner


def test_preview_of_a_body_without_problems_says_so(client, author):
    article = ArticleFactory(status=Article.Status.DRAFT, body="## Causes\n\nText.")
    client.force_login(author)
    response = client.get(reverse("editorial:article-preview", args=[article.pk]))
    assert "No problems found." in response.text
    assert "too little text to judge yet (1 word; it takes 50)" in response.text


def test_readers_see_no_checks_on_the_live_page(client):
    article = ArticleFactory(body=FLAWED)
    response = client.get(article.get_absolute_url())
    assert response.status_code == HTTPStatus.OK
    assert "Before you send this for review" not in response.text


def test_editors_get_the_checks_of_the_text_they_post(client, author):
    client.force_login(author)
    response = client.post(CHECKS_URL, {"content": FLAWED})
    assert response.status_code == HTTPStatus.OK
    assert "Before you send this for review" in response.text
    assert response.text.count('<li data-check="') == 2
    assert "The heading “Stress” skips a level" in response.text
    assert "No problems found" not in response.text


def test_checks_escape_what_the_editor_wrote(client, author):
    client.force_login(author)
    response = client.post(CHECKS_URL, {"content": "## A\n\n#### <b>x</b> & y"})
    assert "The heading “&lt;b&gt;x&lt;/b&gt; &amp; y” skips a level" in response.text


def test_only_editors_get_checks(client, django_user_model):
    assert client.post(CHECKS_URL, {"content": "x"}).status_code == (
        HTTPStatus.FORBIDDEN
    )
    user = django_user_model.objects.create_user("staff", password="x", is_staff=True)
    client.force_login(user)
    assert client.post(CHECKS_URL, {"content": "x"}).status_code == (
        HTTPStatus.FORBIDDEN
    )


def test_checks_refuse_bodies_over_100_kb_and_only_accept_post(admin_client):
    response = admin_client.post(CHECKS_URL, {"content": "a" * 100_001})
    assert response.status_code == HTTPStatus.REQUEST_ENTITY_TOO_LARGE
    assert admin_client.get(CHECKS_URL).status_code == HTTPStatus.METHOD_NOT_ALLOWED


def test_a_drafts_preview_says_it_is_not_published_yet(client, draft, author):
    client.force_login(author)
    url = reverse("editorial:article-preview", args=[draft.pk])
    page = client.get(url).text
    assert '<p class="meta">Not published yet · 1 min read</p>' in page
    assert "Published here" not in page
    Article.objects.filter(pk=draft.pk).update(
        status=Article.Status.APPROVED,
        scheduled_at=datetime(2099, 5, 1, 14, 30, tzinfo=UTC),
    )
    assert (
        'Not published yet: scheduled for <time datetime="2099-05-01T14:30:00+00:00">'
        "1 May 2099, 14:30 UTC</time> · 1 min read"
    ) in client.get(url).text

"""The editorial workflow: roles, transitions, review records and the admin."""

from http import HTTPStatus

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

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

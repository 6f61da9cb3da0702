"""The admin lets editors in by their editorial role, with no "staff" tick."""

from http import HTTPStatus

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

pytestmark = pytest.mark.django_db

ADMIN = reverse("admin:index")
LOGIN = reverse("admin:login")


@pytest.fixture
def reviewer_not_staff(django_user_model, roles):
    user = django_user_model.objects.create_user("rev", password="pw-for-tests")
    user.groups.add(Group.objects.get(name="Medical reviewers"))
    assert not user.is_staff
    return user


def test_a_group_member_without_staff_status_gets_into_the_admin(
    client, reviewer_not_staff
):
    client.force_login(reviewer_not_staff)
    response = client.get(ADMIN)
    assert response.status_code == HTTPStatus.OK
    assert "Articles" in response.text
    articles = client.get(reverse("admin:knowledge_article_changelist"))
    assert articles.status_code == HTTPStatus.OK


def test_a_group_member_without_staff_status_logs_in_through_the_admin(
    client, reviewer_not_staff
):
    response = client.post(
        LOGIN, {"username": "rev", "password": "pw-for-tests", "next": ADMIN}
    )
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == ADMIN
    assert client.get(ADMIN).status_code == HTTPStatus.OK


def test_a_user_in_no_group_is_refused(client, django_user_model, roles):
    user = django_user_model.objects.create_user("reader", password="pw-for-tests")
    client.force_login(user)
    response = client.get(ADMIN)
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"].startswith(LOGIN)
    client.logout()
    response = client.post(
        LOGIN, {"username": "reader", "password": "pw-for-tests", "next": ADMIN}
    )
    assert response.status_code == HTTPStatus.OK
    assert "Please enter the correct username and password" in response.text


def test_an_inactive_group_member_is_refused(client, reviewer_not_staff):
    reviewer_not_staff.is_active = False
    reviewer_not_staff.save()
    client.force_login(reviewer_not_staff)
    assert client.get(ADMIN).status_code == HTTPStatus.FOUND


def test_a_user_in_another_group_is_refused(client, django_user_model, roles):
    user = django_user_model.objects.create_user("other", password="pw-for-tests")
    user.groups.add(Group.objects.create(name="Newsletter readers"))
    client.force_login(user)
    assert client.get(ADMIN).status_code == HTTPStatus.FOUND


def test_staff_without_a_group_still_get_in(client, django_user_model):
    user = django_user_model.objects.create_user("staff", password="x", is_staff=True)
    client.force_login(user)
    assert client.get(ADMIN).status_code == HTTPStatus.OK


def test_the_index_leads_an_editor_to_their_queue_and_the_audit_log(
    client, reviewer_not_staff
):
    client.force_login(reviewer_not_staff)
    page = client.get(ADMIN).text
    assert (
        f'<a href="{reverse("admin:knowledge_article_waiting")}">Waiting for you'
        in (page)
    )
    assert f'<a href="{reverse("admin:audit_log")}">Audit log</a>' in page


def test_the_index_offers_no_page_its_user_may_not_open(client, django_user_model):
    user = django_user_model.objects.create_user("staff", password="x", is_staff=True)
    client.force_login(user)
    page = client.get(ADMIN).text
    assert reverse("admin:audit_log") not in page
    assert reverse("admin:knowledge_article_waiting") not in page

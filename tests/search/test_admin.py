"""Site search, on whichever database the suite runs (CI runs SQLite and PostgreSQL)."""

from http import HTTPStatus

import pytest
from django.urls import reverse

from search.models import SearchQueryLog

pytestmark = pytest.mark.django_db


def test_admin_report_lists_queries_that_found_nothing(admin_client):
    SearchQueryLog.objects.create(query="twitchy thumb", count=4)
    response = admin_client.get(reverse("admin:search_searchquerylog_changelist"))
    assert response.status_code == HTTPStatus.OK
    assert "twitchy thumb" in response.text

"""The editorial workflow: roles, transitions, review records and the admin."""

import pytest
from django.contrib.auth.models import Permission

pytestmark = pytest.mark.django_db


def permissions_of(group: str) -> set[str]:
    return set(
        Permission.objects.filter(group__name=group).values_list("codename", flat=True)
    )


def test_roles_have_exactly_the_workflow_permissions_they_need(roles):
    authors = permissions_of("Authors")
    reviewers = permissions_of("Medical reviewers")
    publishers = permissions_of("Publishers")
    assert {"add_article", "change_article", "submit_article"} <= authors
    assert not {"review_article", "publish_article", "delete_article"} & authors
    assert "review_article" in reviewers
    assert not {"change_article", "publish_article", "submit_article"} & reviewers
    assert "publish_article" in publishers
    assert not {"change_article", "review_article", "submit_article"} & publishers

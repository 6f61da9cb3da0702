"""The people of the editorial workflow, and an article for them to work on."""

import pytest

from editorial.models import ReviewerProfile
from knowledge.models import Article
from tests.factories import ArticleFactory


@pytest.fixture
def author(make_user):
    return make_user("author", "Authors")


@pytest.fixture
def reviewer(make_user):
    user = make_user("reviewer", "Medical reviewers")
    ReviewerProfile.objects.create(
        user=user, name="Dr Ada Reyes", credential="MD, neurologist"
    )
    return user


@pytest.fixture
def author_client(client, author):
    client.force_login(author)
    return client


@pytest.fixture
def publisher(make_user):
    return make_user("publisher", "Publishers")


@pytest.fixture
def draft():
    return ArticleFactory(
        title="Eyelid twitching", status=Article.Status.DRAFT, published_at=None
    )

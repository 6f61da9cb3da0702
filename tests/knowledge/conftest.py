"""Published, draft and scheduled articles, for the pages that list them."""

import pytest

from knowledge.models import Article
from tests.factories import ArticleFactory


@pytest.fixture
def articles():
    live = ArticleFactory(title="Live article", slug="live")
    draft = ArticleFactory(
        title="Draft article",
        slug="draft",
        status=Article.Status.DRAFT,
        published_at=None,
    )
    return live, draft

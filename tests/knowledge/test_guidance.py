"""When to see a doctor: the general guidance and the red flags every page shows."""

import pytest

from knowledge.guidance import RED_FLAGS, doctor_guidance
from knowledge.models import Article

pytestmark = pytest.mark.django_db


def test_every_red_flag_is_quoted_from_a_published_source(knowledge_base):
    flags = doctor_guidance().red_flags
    assert [flag.words for flag in flags] == [flag.words for flag in RED_FLAGS]


def test_a_new_address_waiting_for_publication_keeps_the_red_flags(knowledge_base):
    Article.objects.filter(slug="causes-of-muscle-twitches").update(slug="causes")
    flags = doctor_guidance().red_flags
    assert [flag.words for flag in flags] == [flag.words for flag in RED_FLAGS]


def test_a_source_article_published_at_a_new_address_keeps_the_red_flags(
    knowledge_base,
):
    # Red flags are tied to the source document, not to the article's address.
    Article.objects.filter(slug="causes-of-muscle-twitches").update(
        slug="causes", live_slug="causes"
    )
    flags = doctor_guidance().red_flags
    assert [flag.words for flag in flags] == [flag.words for flag in RED_FLAGS]
    assert {flag.evidence.article.live_slug for flag in flags} >= {"causes"}

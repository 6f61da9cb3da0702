"""The tables' filter widgets write the markup Django's own widget templates write.

The filter forms render with Django's Jinja2 widget templates (FilterForm); the
widgets that list options write the same markup in Python. MarkupSafe escapes a
quote as ``&#34;`` where Django's ``escape`` writes ``&quot;``: the same character."""

import pytest
from django.urls import reverse

from knowledge.links import slug_url, view_url


@pytest.mark.parametrize(
    "view", ["article-detail", "cause-detail", "nutrient-detail", "food-detail"]
)
def test_slug_urls_are_the_urls_reverse_gives(view):
    name = f"knowledge:{view}"
    assert slug_url(name, "some-slug_2") == reverse(
        name, kwargs={"slug": "some-slug_2"}
    )


def test_view_urls_are_the_urls_reverse_gives():
    assert view_url("knowledge:cause-list") == reverse("knowledge:cause-list")

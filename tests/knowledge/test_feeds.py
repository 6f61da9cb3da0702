"""The reader's other pages: articles, about, feed, sitemap, robots, SEO markup."""

from http import HTTPStatus
from xml.etree import ElementTree

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


ATOM = "{http://www.w3.org/2005/Atom}"


def test_feed_lists_only_published_articles(client, articles):
    response = client.get(reverse("knowledge:feed"))
    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ElementTree.fromstring(response.content)
    titles = [entry.findtext(f"{ATOM}title") for entry in feed.iter(f"{ATOM}entry")]
    assert titles == ["Live article"]

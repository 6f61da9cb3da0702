"""The reader's other pages: articles, about, feed, sitemap, robots, SEO markup."""

from http import HTTPStatus
from xml.etree import ElementTree

import pytest
from django.urls import reverse

from knowledge.models import Article
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


ATOM = "{http://www.w3.org/2005/Atom}"


def test_feed_lists_only_published_articles(client, articles):
    response = client.get(reverse("knowledge:feed"))
    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ElementTree.fromstring(response.content)
    titles = [entry.findtext(f"{ATOM}title") for entry in feed.iter(f"{ATOM}entry")]
    assert titles == ["Live article"]


def test_feed_summaries_are_plain_text_escaped_once(client):
    ArticleFactory(title="Live", summary="Magnesium <b>& calcium</b> &amp; more")
    response = client.get(reverse("knowledge:feed"))
    assert b"Magnesium &lt;b&gt;&amp; calcium&lt;/b&gt; &amp;amp; more" in (
        response.content
    )
    (summary,) = ElementTree.fromstring(response.content).iter(f"{ATOM}summary")
    assert summary.get("type") == "text"
    assert summary.text == "Magnesium <b>& calcium</b> &amp; more"


def test_the_feed_links_to_the_address_readers_find_an_article_at(client, articles):
    live, _draft = articles
    Article.objects.filter(pk=live.pk).update(slug="renamed")
    feed = ElementTree.fromstring(client.get(reverse("knowledge:feed")).content)
    links = [link.get("href") for link in feed.iter(f"{ATOM}link")]
    assert "http://testserver/articles/live/" in links
    assert "http://testserver/articles/renamed/" not in links

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from knowledge.models import Article
from twitchsite.site_url import absolute_url


class PlainTextSummaryAtomFeed(Atom1Feed):
    """An Atom feed whose entries' summaries are plain text, not HTML.

    Django marks every summary ``type="html"``, which tells feed readers to treat
    the author's words as markup. The XML writer escapes the text once.
    """

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, {**item, "description": None})
        if item["description"] is not None:
            handler.addQuickElement("summary", item["description"], {"type": "text"})


class LatestArticlesFeed(Feed):
    feed_type = PlainTextSummaryAtomFeed
    title = "Twitch Guide: latest articles"

    # Absolute URLs from the site's own address: Django would otherwise prefix the
    # request's Host header.
    def link(self) -> str:
        return absolute_url(reverse("knowledge:article-list"))

    def feed_url(self) -> str:
        return absolute_url(reverse("knowledge:feed"))

    subtitle = "Articles about muscle twitches and nutrition, with their sources."

    def items(self):
        # Only what an entry shows: an article's texts can run to megabytes.
        fields = ("live_slug", "slug", "live_title", "live_summary", "published_at")
        return Article.objects.published().only(*fields, "updated_at")[:20]

    def item_link(self, item: Article) -> str:
        return absolute_url(item.get_absolute_url())

    def item_title(self, item: Article) -> str:
        return item.live_title

    def item_description(self, item: Article) -> str:
        return item.live_summary

    def item_pubdate(self, item: Article):
        return item.published_at

    def item_updateddate(self, item: Article):
        return item.updated_at

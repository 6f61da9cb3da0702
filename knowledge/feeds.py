from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from knowledge.models import Article
from twitchsite.site_url import absolute_url


class LatestArticlesFeed(Feed):
    feed_type = Atom1Feed
    title = "Twitch Guide: latest articles"

    # Absolute URLs from the site's own address: Django would otherwise prefix the
    # request's Host header.
    def link(self) -> str:
        return absolute_url(reverse("knowledge:article-list"))

    def feed_url(self) -> str:
        return absolute_url(reverse("knowledge:feed"))

    subtitle = "Articles about muscle twitches and nutrition, with their sources."

    def items(self):
        return Article.objects.published()[:20]

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

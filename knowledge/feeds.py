from django.contrib.syndication.views import Feed
from django.urls import reverse_lazy
from django.utils.feedgenerator import Atom1Feed

from knowledge.models import Article


class LatestArticlesFeed(Feed):
    feed_type = Atom1Feed
    title = "Twitch Guide: latest articles"
    link = reverse_lazy("knowledge:article-list")
    subtitle = "Articles about muscle twitches and nutrition, with their sources."

    def items(self):
        return Article.objects.published()[:20]

    def item_title(self, item: Article) -> str:
        return item.live_title

    def item_description(self, item: Article) -> str:
        return item.live_summary

    def item_pubdate(self, item: Article):
        return item.published_at

    def item_updateddate(self, item: Article):
        return item.updated_at

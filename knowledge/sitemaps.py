from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from knowledge.models import Article, Cause, Condition, FoodSource, Nutrient
from twitchsite.site_url import site_parts


class SiteSitemap(Sitemap):
    """A sitemap whose URLs start with the site's own address, not the Host header."""

    def get_protocol(self, protocol: str | None = None) -> str:
        return site_parts()[0]

    def get_domain(self, site=None) -> str:
        return site_parts()[1]


class StaticSitemap(SiteSitemap):
    def items(self) -> list[str]:
        return [
            "knowledge:home",
            "knowledge:condition-list",
            "knowledge:article-list",
            "knowledge:nutrient-list",
            "knowledge:cause-list",
            "knowledge:food-list",
            "knowledge:about",
        ]

    def location(self, item: str) -> str:
        return reverse(item)


class ArticleSitemap(SiteSitemap):
    def items(self):
        return Article.objects.published().order_by("pk")

    def lastmod(self, item: Article):
        return item.updated_at


class EntitySitemap(SiteSitemap):
    def __init__(self, model) -> None:
        self.model = model

    def items(self):
        return self.model.objects.order_by("pk")


SITEMAPS = {
    "pages": StaticSitemap,
    "articles": ArticleSitemap,
    "conditions": EntitySitemap(Condition),
    "nutrients": EntitySitemap(Nutrient),
    "causes": EntitySitemap(Cause),
    "foods": EntitySitemap(FoodSource),
}

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from knowledge.models import Article, Cause, FoodSource, Nutrient


class StaticSitemap(Sitemap):
    def items(self) -> list[str]:
        return [
            "knowledge:home",
            "knowledge:article-list",
            "knowledge:nutrient-list",
            "knowledge:cause-list",
            "knowledge:food-list",
            "knowledge:about",
        ]

    def location(self, item: str) -> str:
        return reverse(item)


class ArticleSitemap(Sitemap):
    def items(self):
        return Article.objects.published().order_by("pk")

    def lastmod(self, item: Article):
        return item.updated_at


class EntitySitemap(Sitemap):
    def __init__(self, model) -> None:
        self.model = model

    def items(self):
        return self.model.objects.order_by("pk")


SITEMAPS = {
    "pages": StaticSitemap,
    "articles": ArticleSitemap,
    "nutrients": EntitySitemap(Nutrient),
    "causes": EntitySitemap(Cause),
    "foods": EntitySitemap(FoodSource),
}

"""The sitemaps: an index of sections, each paginated, fast at any size.

``/sitemap.xml`` is an index of the sections' pages (``/sitemap-<section>.xml``,
``?p=2`` and on), so no one file grows with the content. Every URL starts with the
site's own address.

A section's page is written by string formatting from the slugs alone. Django's
own sitemap view took 180 ms of CPU for a page of 5,000 causes (65 ms building its
URL records, 107 ms in its template); this takes 23.5 ms for 5,000, most of it the
ETag and the middleware.
"""

from __future__ import annotations

import html

from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import SitemapIndexItem, x_robots_tag
from django.db.models import Max
from django.db.models.functions import TruncDate
from django.http import Http404, HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import escape

from knowledge import fragments
from knowledge.links import slug_url_format
from knowledge.models import Article, Cause, Condition, FoodSource, Nutrient
from twitchsite.site_url import absolute_url

# URLs on one page of a section. A page's cost grows with its size, not with the
# site's: at 100,000 articles, in-process with the whole middleware stack, a page
# of 1,000 articles cost 7.0 ms of CPU on PostgreSQL and 9.5 on SQLite; of 500,
# half that. (The protocol allows 50,000.)
PAGE_SIZE = 500


class SiteSitemap(Sitemap):
    """A section of the sitemap: Django's paginator counts its pages (``items``,
    ``limit``) for the index; ``entries`` gives the paths of one page."""

    limit = PAGE_SIZE

    def entries(self, offset: int, limit: int) -> list[tuple[str, str]]:
        """The paths of one page of the section, each with its last change
        ("YYYY-MM-DD", or "" where unknown)."""
        raise NotImplementedError


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

    def entries(self, offset: int, limit: int) -> list[tuple[str, str]]:
        return [(reverse(name), "") for name in self.items()[offset : offset + limit]]


class ArticleSitemap(SiteSitemap):
    def items(self):
        return (
            Article.objects.published().order_by("pk").only("live_slug", "updated_at")
        )

    def get_latest_lastmod(self):
        # Django's default reads every article for it.
        return self.items().aggregate(latest=Max("updated_at"))["latest"]

    def entries(self, offset: int, limit: int) -> list[tuple[str, str]]:
        # The day in the database: parsing a thousand timestamps was a third of
        # a page's cost on PostgreSQL.
        rows = self.items().values_list("live_slug", TruncDate("updated_at"))
        address = slug_url_format("knowledge:article-detail")
        return [
            (address.format(slug), changed.isoformat())
            for slug, changed in rows[offset : offset + limit]
        ]


class EntitySitemap(SiteSitemap):
    def __init__(self, model, viewname: str) -> None:
        self.model = model
        self.viewname = viewname

    def items(self):
        return self.model.objects.order_by("pk").only("slug")

    def entries(self, offset: int, limit: int) -> list[tuple[str, str]]:
        slugs = self.items().values_list("slug", flat=True)[offset : offset + limit]
        address = slug_url_format(self.viewname)
        return [(address.format(slug), "") for slug in slugs]


SITEMAPS = {
    "pages": StaticSitemap,
    "articles": ArticleSitemap,
    "conditions": EntitySitemap(Condition, "knowledge:condition-detail"),
    "nutrients": EntitySitemap(Nutrient, "knowledge:nutrient-detail"),
    "causes": EntitySitemap(Cause, "knowledge:cause-detail"),
    "foods": EntitySitemap(FoodSource, "knowledge:food-detail"),
}


@x_robots_tag
def sitemap_index(request: HttpRequest) -> HttpResponse:
    """The index of every section's pages, as Django's own index writes it, with
    URLs from the site's address instead of the Host header.

    Counting every section's pages and finding the latest change took 50 ms of
    CPU at 10x on SQLite, and writing the 330 entries of 100x through the
    template 8 ms: the index is kept, written, for the content version.
    """
    xml = fragments.cached(
        "sitemap-index",
        None,
        lambda: render_to_string("sitemap_index.xml", {"sitemaps": index_items()}),
    )
    return HttpResponse(xml, content_type="application/xml")


def index_items() -> list[SitemapIndexItem]:
    items = []
    for section, site in SITEMAPS.items():
        site = site() if callable(site) else site
        url = absolute_url(reverse("knowledge:sitemap-section", args=[section]))
        lastmod = site.get_latest_lastmod()
        items.append(SitemapIndexItem(url, lastmod))
        items.extend(
            SitemapIndexItem(f"{url}?p={page}", lastmod)
            for page in range(2, site.paginator.num_pages + 1)
        )
    return items


URLSET_START = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
)


@x_robots_tag
def sitemap_section(request: HttpRequest, section: str) -> HttpResponse:
    """One page of one section (``?p=``, from 1)."""
    site = SITEMAPS.get(section)
    page = request.GET.get("p", "1")
    if site is None or not page.isdecimal() or int(page) < 1:
        raise Http404("No such sitemap page.")
    site = site() if callable(site) else site
    offset = (int(page) - 1) * site.limit
    entries = site.entries(offset, site.limit)
    if not entries and offset:
        raise Http404("No such sitemap page.")
    origin = escape(absolute_url(""))
    # The standard library's escape: Django's, which handles lazy strings, took a
    # third of the page's time.
    urls = "".join(
        f"<url><loc>{origin}{html.escape(path)}</loc>"
        + (f"<lastmod>{changed}</lastmod>" if changed else "")
        + "</url>\n"
        for path, changed in entries
    )
    return HttpResponse(
        URLSET_START + urls + "</urlset>\n", content_type="application/xml"
    )


# For the page cache's key (twitchsite.middleware.pagecache).
sitemap_index.query_parameters = frozenset()
sitemap_section.query_parameters = frozenset({"p"})

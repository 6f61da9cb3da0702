"""The reader's pages that are not about one subject: home, articles, about."""

from django.db.models import Prefetch
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponsePermanentRedirect,
)
from django.utils.safestring import SafeString, mark_safe
from django.views.generic import DetailView, ListView, TemplateView

from knowledge import fragments
from knowledge.models import (
    Article,
    ArticleRedirect,
    Cause,
    Condition,
    Evidence,
    Nutrient,
    SourceDocument,
)
from knowledge.passages import anchor, mark_passages, nth_occurrence
from knowledge.structured_data import article_json_ld
from knowledge.views.subjects import GuidanceMixin, KeptContentMixin
from twitchsite.site_url import absolute_url


class HomeView(TemplateView):
    """Starts from where the reader feels the twitch."""

    template_name = "knowledge/home.html"
    latest_count = 5

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        latest = Article.objects.published().for_listing()
        context["articles"] = latest[: self.latest_count]
        # Where the reader feels it first; "any twitch" last.
        context["conditions"] = Condition.objects.select_related("area").order_by(
            "general", "position", "name"
        )
        return context


class ArticleListView(ListView):
    context_object_name = "articles"
    paginate_by = 20
    query_parameters = frozenset({"page"})  # for the page cache's key

    def get_queryset(self):
        return Article.objects.published().for_listing()

    def get_paginator(self, queryset, per_page, **kwargs):
        # Counting live articles is a scan of every article's row on PostgreSQL:
        # 45 ms in the database at 100x.
        return fragments.KeptCountPaginator(
            queryset, per_page, kept_as=("live-article-count", None), **kwargs
        )


class ArticleDetailView(KeptContentMixin, GuidanceMixin, DetailView):
    """The live copy of an article, at its live address; an address it had before
    answers 301 to that one. Its content is rendered once per content version."""

    context_object_name = "article"
    slug_field = "live_slug"
    content_template_name = "knowledge/article_content.html"
    # What the page's head shows, besides the content kept.
    title_fields = ("live_slug", "live_title", "live_summary")

    def title_queryset(self):
        return Article.objects.published().only(*self.title_fields)

    def get(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            return super().get(request, *args, **kwargs)
        except Http404:
            moved = (
                ArticleRedirect.objects.to_live()
                .filter(old_slug=kwargs["slug"])
                .select_related("article")
                .only("article__live_slug")
                .first()
            )
            if moved is None:
                raise
            return HttpResponsePermanentRedirect(moved.article.get_absolute_url())

    def get_queryset(self):
        return (
            Article.objects.published()
            .select_related("source", "live_reviewed_by__reviewer_profile")
            # Readers see the live copy: the working text stays in the database.
            .defer("body", "body_html", "toc", "live_body")
            .prefetch_related(
                Prefetch("live_nutrients", Nutrient.objects.only("name", "slug")),
                Prefetch("live_causes", Cause.objects.only("name", "slug")),
            )
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["json_ld"] = article_json_ld(self.object)
        context["body"] = marked_body(self.object)
        # The "In this article" box: the links as published, not as being edited.
        context["related_nutrients"] = self.object.live_nutrients.all()
        context["related_causes"] = self.object.live_causes.all()
        return context


def marked_body(article: Article) -> SafeString:
    """The live body, with every passage the site quotes marked for its links.

    Part of the article's content, which is kept for the content version.
    """
    source = article.source
    if source is None:
        return mark_safe(article.live_body_html)
    quoted = (
        Evidence.objects.published()
        .filter(article=article)
        .order_by()
        .values_list("start", "end", "passage")
        .distinct()
    )
    left_out = source.left_out_lines()
    passages = [
        (
            anchor(start, end),
            passage,
            nth_occurrence(source.text, passage, start, left_out=left_out),
        )
        for start, end, passage in quoted
    ]
    return mark_passages(article.live_body_html, passages).html


class AboutView(TemplateView):
    template_name = "knowledge/about.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["sources"] = SourceDocument.objects.filter(
            Article.published_q("article__")
        ).select_related("article")
        return context


def robots_txt(request: HttpRequest) -> HttpResponse:
    sitemap = absolute_url("/sitemap.xml")
    lines = ["User-agent: *", "Disallow: /admin/", f"Sitemap: {sitemap}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")

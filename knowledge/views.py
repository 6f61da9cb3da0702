"""The reader's pages: home, articles, and the page of each cause, nutrient and food.

The comparison tables have their own modules (``knowledge.tables``).
"""

from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.utils.safestring import SafeString, mark_safe
from django.views.generic import DetailView, ListView, TemplateView

from knowledge.models import (
    Article,
    Cause,
    Evidence,
    FoodSource,
    Nutrient,
    SourceDocument,
)
from knowledge.passages import anchor, mark_passages, nth_occurrence
from knowledge.structured_data import article_json_ld, cause_json_ld


def evidence_prefetch(lookup: str = "evidence", **filters) -> Prefetch:
    """Evidence from published articles only, with the article it comes from.

    Build it per request: ``published()`` reads the clock when it is called.
    """
    return Prefetch(
        lookup,
        queryset=Evidence.objects.published()
        .select_related("article__source")
        .defer("article__source__text", "article__body", "article__body_html")
        .filter(**filters),
    )


def group_evidence(evidence) -> list[tuple[str, list[Evidence]]]:
    """Evidence grouped by aspect, in the order the aspects are declared."""
    groups: dict[str, list[Evidence]] = {}
    for item in evidence:
        groups.setdefault(item.aspect, []).append(item)
    return [
        (label, groups[value])
        for value, label in Evidence.Aspect.choices
        if value in groups and value != Evidence.Aspect.NAME
    ]


class EvidenceContextMixin:
    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        evidence = list(self.object.evidence.all())
        context["evidence_groups"] = group_evidence(evidence)
        context["disputed"] = any(
            item.stance != Evidence.Stance.SUPPORTS for item in evidence
        )
        return context


class HomeView(TemplateView):
    template_name = "knowledge/home.html"
    latest_count = 5

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        latest = Article.objects.published().for_listing()
        context["articles"] = latest[: self.latest_count]
        return context


class ArticleListView(ListView):
    context_object_name = "articles"
    paginate_by = 20

    def get_queryset(self):
        return Article.objects.published().for_listing()


class ArticleDetailView(DetailView):
    context_object_name = "article"

    def get_queryset(self):
        return (
            Article.objects.published()
            .select_related("source", "live_reviewed_by__reviewer_profile")
            # Readers see the live copy: the working text stays in the database.
            .defer("body", "body_html", "toc")
            .prefetch_related(
                Prefetch("nutrients", Nutrient.objects.only("name", "slug")),
                Prefetch("causes", Cause.objects.only("name", "slug")),
            )
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["json_ld"] = article_json_ld(self.object, self.request)
        context["body"] = marked_body(self.object)
        return context


def marked_body(article: Article) -> SafeString:
    """The live body, with every passage the site quotes marked for its links."""
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


class NutrientDetailView(EvidenceContextMixin, DetailView):
    context_object_name = "nutrient"

    def get_queryset(self):
        return Nutrient.objects.with_relations().prefetch_related(
            evidence_prefetch(),
            evidence_prefetch("causes__evidence", aspect=Evidence.Aspect.LINK),
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # What the sources say about deficiency or excess of this nutrient is
        # evidence about its causes: that is where they disagree.
        context["cause_evidence"] = [
            (cause, list(cause.evidence.all())) for cause in self.object.causes.all()
        ]
        context["disputed"] = context["disputed"] or any(
            item.stance != Evidence.Stance.SUPPORTS
            for _, items in context["cause_evidence"]
            for item in items
        )
        return context


class CauseDetailView(EvidenceContextMixin, DetailView):
    context_object_name = "cause"

    def get_queryset(self):
        return Cause.objects.with_relations().prefetch_related(
            evidence_prefetch(),
            Prefetch("nutrient__foods", queryset=FoodSource.objects.distinct()),
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["json_ld"] = cause_json_ld(self.object, self.request)
        return context


class FoodDetailView(DetailView):
    context_object_name = "food"

    def get_queryset(self):
        return FoodSource.objects.with_relations().prefetch_related("nutrients__causes")


class AboutView(TemplateView):
    template_name = "knowledge/about.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["sources"] = SourceDocument.objects.filter(
            Article.published_q("article__")
        ).select_related("article")
        return context


def robots_txt(request: HttpRequest) -> HttpResponse:
    sitemap = request.build_absolute_uri("/sitemap.xml")
    lines = ["User-agent: *", "Disallow: /admin/", f"Sitemap: {sitemap}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")

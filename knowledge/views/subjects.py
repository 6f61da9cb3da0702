"""The reader's pages: home, articles, and the page of each cause, nutrient and food.

The comparison tables have their own modules (``knowledge.tables``).
"""

from collections import defaultdict

from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.utils.safestring import SafeString, mark_safe
from django.views.generic import DetailView, ListView, TemplateView

from knowledge.models import (
    Article,
    Cause,
    CauseSymptom,
    Condition,
    Evidence,
    FoodSource,
    Nutrient,
    SourceDocument,
)
from knowledge.passages import anchor, mark_passages, nth_occurrence
from knowledge.structured_data import article_json_ld, cause_json_ld


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


def general_guidance() -> list[Evidence]:
    """When to see a doctor, as the sources say it of every twitch: the published
    warnings about the general condition ("Muscle twitches")."""
    return list(
        Evidence.objects.published()
        .filter(condition__general=True, aspect=Evidence.Aspect.WARNING)
        .select_related("article")
        .only(
            "passage",
            "value",
            "inference",
            "stance",
            "start",
            "end",
            "article__slug",
            "article__live_title",
        )
        .order_by("position")
    )


class GuidanceMixin:
    """Pages where the sources' general guidance applies show it."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["general_guidance"] = general_guidance()
        return context


class EvidenceContextMixin(GuidanceMixin):
    """What the sources say of a cause, nutrient or condition, by aspect.

    ``facts`` are the aspects the page opens with (``fact_aspects``), each with its
    quotes; ``evidence_groups`` lists every quote, aspect by aspect, below.
    """

    fact_aspects: tuple[str, ...] = ()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        evidence = self.object.published_evidence
        statements = self.object.statements()
        context["statements"] = statements
        context["facts"] = [
            (aspect, Evidence.Aspect(aspect).label, statements.get(aspect, []))
            for aspect in self.fact_aspects
        ]
        context["evidence_groups"] = group_evidence(evidence)
        # The general guidance, less what the page already quotes as its own.
        own = {
            (item.article_id, item.start, item.end)
            for item in statements.get(Evidence.Aspect.WARNING, [])
        }
        context["general_guidance"] = [
            item
            for item in context["general_guidance"]
            if (item.article_id, item.start, item.end) not in own
        ]
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


class ArticleDetailView(GuidanceMixin, DetailView):
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
    fact_aspects = (
        Evidence.Aspect.ROLE,
        Evidence.Aspect.DEFICIENCY_NAME,
        Evidence.Aspect.DEFICIENCY_CAUSE,
    )

    def get_queryset(self):
        return Nutrient.objects.with_evidence().prefetch_related(
            Prefetch("foods", queryset=FoodSource.objects.distinct()),
            Prefetch("causes", queryset=Cause.objects.with_evidence()),
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # What the sources say about deficiency or excess of this nutrient is
        # evidence about its causes: that is where they disagree.
        context["cause_evidence"] = [
            (cause, cause.stated(Evidence.Aspect.LINK))
            for cause in self.object.causes.all()
        ]
        context["disputed"] = context["disputed"] or any(
            item.stance != Evidence.Stance.SUPPORTS
            for _, items in context["cause_evidence"]
            for item in items
        )
        return context


class CauseDetailView(EvidenceContextMixin, DetailView):
    context_object_name = "cause"
    fact_aspects = (
        Evidence.Aspect.MECHANISM,
        Evidence.Aspect.COMMONALITY,
        Evidence.Aspect.URGENCY,
        Evidence.Aspect.ACTION,
        Evidence.Aspect.WARNING,
    )

    def get_queryset(self):
        return (
            Cause.objects.with_relations()
            .with_evidence()
            .prefetch_related(
                Prefetch("nutrient__foods", queryset=FoodSource.objects.distinct()),
                Prefetch(
                    "nutrient__evidence",
                    queryset=Evidence.objects.published()
                    .filter(aspect=Evidence.Aspect.ROLE)
                    .select_related("article__source")
                    .defer(
                        "article__body",
                        "article__body_html",
                        "article__live_body_html",
                        "article__source__text",
                    ),
                    to_attr="published_evidence",
                ),
            )
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["json_ld"] = cause_json_ld(self.object, self.request)
        # Where a source qualifies a symptom ("in severe cases, seizures"), its
        # words go with the symptom's name.
        words = defaultdict(list)
        for symptom_id, stated_as in (
            CauseSymptom.objects.filter(cause=self.object)
            .filter(Article.published_q("evidence__article__"))
            .exclude(stated_as="")
            .values_list("symptom_id", "stated_as")
            .order_by("evidence__position")
        ):
            words[symptom_id].append(stated_as)
        context["symptoms"] = [
            (symptom, words.get(symptom.pk, []))
            for symptom in self.object.symptoms.all()
        ]
        return context


class FoodDetailView(DetailView):
    context_object_name = "food"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        stated = {nutrient.pk for nutrient in self.object.stated_nutrients()}
        context["nutrients"] = [
            nutrient
            for nutrient in self.object.nutrients.all()
            if nutrient.pk in stated
        ]
        return context

    def get_queryset(self):
        return FoodSource.objects.with_pairings().prefetch_related(
            Prefetch(
                "nutrients",
                queryset=Nutrient.objects.with_evidence()
                .prefetch_related("causes")
                .distinct(),
            )
        )


class ConditionDetailView(EvidenceContextMixin, DetailView):
    context_object_name = "condition"
    fact_aspects = (
        Evidence.Aspect.TERMINOLOGY,
        Evidence.Aspect.DEFINITION,
        Evidence.Aspect.NUTRITION,
        Evidence.Aspect.WARNING,
    )

    def get_queryset(self):
        return Condition.objects.with_evidence().select_related("area")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # The sources do not all mean the same by a name: show who says what.
        names = self.object.stated(Evidence.Aspect.TERMINOLOGY)
        if len({item.article_id for item in names}) > 1:
            context["names_differ"] = names
            context["facts"] = [
                fact
                for fact in context["facts"]
                if fact[0] != Evidence.Aspect.TERMINOLOGY
            ]
        if self.object.area_id:
            context["causes"] = (
                Cause.objects.filter(body_areas=self.object.area_id)
                .distinct()
                .order_by("name")
            )
        return context


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

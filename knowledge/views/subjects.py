"""The page of each cause, nutrient and food: what the sources say of it.

A page opens with what the sources agree on and where they disagree, each linked
to its passage; then the facts they state, with what they do not state gathered
into one sentence; then when to see a doctor; then every passage.
"""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.views.generic import DetailView

from knowledge import fragments
from knowledge.guidance import doctor_guidance
from knowledge.models import (
    Article,
    Cause,
    CauseSymptom,
    Evidence,
    FoodSource,
    Nutrient,
)
from knowledge.models.entities import ARTICLE_TEXTS
from knowledge.structured_data import cause_json_ld

Aspect = Evidence.Aspect

# What a page says when the sources do not state an aspect: "Our sources do not
# say how common it is, or how urgently to see a doctor."
UNSTATED = {
    Aspect.MECHANISM: "how it causes twitching",
    Aspect.COMMONALITY: "how common it is",
    Aspect.URGENCY: "how urgently to see a doctor",
    Aspect.ACTION: "what to do about it",
    Aspect.TREATMENT: "how it is treated",
    Aspect.DIAGNOSIS: "how it is diagnosed",
    Aspect.ROLE: "its role in nerves and muscles",
    Aspect.DEFICIENCY_NAME: "what its deficiency is called",
    Aspect.DEFICIENCY_CAUSE: "what causes a deficiency",
    Aspect.DEFINITION: "what it is",
    Aspect.TERMINOLOGY: "what it is called",
    Aspect.NUTRITION: "what nutrition has to do with it",
}


def group_evidence(evidence) -> list[tuple[str, list[Evidence]]]:
    """Evidence grouped by aspect, in the order the aspects are declared."""
    groups: dict[str, list[Evidence]] = {}
    for item in evidence:
        groups.setdefault(item.aspect, []).append(item)
    return [
        (label, groups[value])
        for value, label in Aspect.choices
        if value in groups and value != Aspect.NAME
    ]


def unstated_sentence(missing: list[str]) -> str:
    """One sentence for every aspect the sources leave unsaid, or ""."""
    phrases = [UNSTATED[aspect] for aspect in missing]
    if not phrases:
        return ""
    if len(phrases) > 1:
        listed = ", ".join(phrases[:-1]) + ", or " + phrases[-1]
    else:
        listed = phrases[0]
    return f"Our sources do not say {listed}."


@dataclass(frozen=True)
class PageReview:
    """Whether the documents a page quotes were medically reviewed, and by whom."""

    reviewed: list[Article]  # the most recently reviewed first
    unreviewed: list[Article]


def page_review(evidence: list[Evidence]) -> PageReview:
    """The medical review of the published articles the passages come from."""
    articles = {item.article_id: item.article for item in evidence}.values()
    reviewed = sorted(
        (a for a in articles if a.live_reviewed_at),
        key=lambda a: a.live_reviewed_at,
        reverse=True,
    )
    unreviewed = sorted(
        (a for a in articles if not a.live_reviewed_at), key=lambda a: a.live_title
    )
    return PageReview(reviewed=reviewed, unreviewed=unreviewed)


class GuidanceMixin:
    """Pages where the sources' general guidance applies show it, with red flags."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        guidance = doctor_guidance()
        context["general_guidance"] = guidance.general
        context["red_flags"] = guidance.red_flags
        return context


class KeptContentMixin:
    """A page whose content is rendered once per content version.

    Its object is looked up by its address with only the fields the page's title
    needs (``title_queryset``): one query, and a 404 for an address that is not
    one. The
    page's content and its structured data are kept for the content version
    (``knowledge.fragments``): only the first request after a change renders
    them, with every query that takes. The cause page cost 19 ms of CPU at 1x
    on SQLite uncached, 12 of them in its queries; kept, about 2.
    """

    content_template_name: str
    title_fields: tuple[str, ...] = ("name", "slug")

    def title_queryset(self) -> QuerySet:
        model = self.get_queryset().model
        return model._default_manager.only(*self.title_fields)

    def get(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        self.object = self.get_object(self.title_queryset())
        model = type(self.object)
        kept = fragments.cached(
            f"page:{model._meta.label_lower}", self.object.pk, self.render_content
        )
        context = {
            "object": self.object,
            self.get_context_object_name(self.object): self.object,
            "view": self,
            # Safe: rendered by the templates, which escape every value.
            "content": mark_safe(kept["content"]),
            "json_ld": mark_safe(kept["json_ld"]),
        }
        return self.render_to_response(context)

    def render_content(self) -> dict[str, str]:
        """The page's content and structured data, from the subject in full."""
        self.object = self.get_queryset().get(pk=self.object.pk)
        context = self.get_context_data(object=self.object)
        return {
            "content": render_to_string(
                self.content_template_name, context, self.request
            ),
            "json_ld": str(context.get("json_ld", "")),
        }


class EvidenceContextMixin(GuidanceMixin):
    """What the sources say of a cause, nutrient or condition.

    ``agreement`` is what they say of its link to twitching (``brief_aspect``):
    the passages that support it, and those that qualify or dispute it. ``facts``
    are the aspects the page opens with (``fact_aspects``) that the sources state;
    ``unstated`` is one sentence naming those they do not. ``own_warnings`` are
    the page's own "when to see a doctor"; the general guidance leaves out what
    they already quote. ``evidence_groups`` lists every passage, by aspect.
    """

    fact_aspects: tuple[str, ...] = ()
    brief_aspect: str = Aspect.LINK

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        evidence = self.object.published_evidence
        statements = self.object.statements()
        context["statements"] = statements
        brief = statements.get(self.brief_aspect, [])
        context["agree"] = [e for e in brief if e.stance == Evidence.Stance.SUPPORTS]
        context["differ"] = [e for e in brief if e.stance != Evidence.Stance.SUPPORTS]
        context["agree_sources"] = len({e.article_id for e in context["agree"]})
        context["facts"] = [
            (aspect, Aspect(aspect).label, statements[aspect])
            for aspect in self.fact_aspects
            if statements.get(aspect)
        ]
        context["unstated"] = unstated_sentence(
            [a for a in self.fact_aspects if not statements.get(a)]
        )
        context["evidence_groups"] = group_evidence(evidence)
        context["page_review"] = page_review(evidence)
        own = statements.get(Aspect.WARNING, [])
        context["own_warnings"] = own
        quoted = {(item.article_id, item.start, item.end) for item in own}
        context["general_guidance"] = [
            item
            for item in context["general_guidance"]
            if (item.article_id, item.start, item.end) not in quoted
        ]
        context["disputed"] = any(
            item.stance != Evidence.Stance.SUPPORTS for item in evidence
        )
        return context


class NutrientDetailView(KeptContentMixin, EvidenceContextMixin, DetailView):
    content_template_name = "knowledge/nutrient_content.html"
    context_object_name = "nutrient"
    brief_aspect = Aspect.ROLE
    fact_aspects = (
        Aspect.DEFINITION,
        Aspect.DEFICIENCY_NAME,
        Aspect.DEFICIENCY_CAUSE,
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


class CauseDetailView(KeptContentMixin, EvidenceContextMixin, DetailView):
    content_template_name = "knowledge/cause_content.html"
    context_object_name = "cause"
    fact_aspects = (
        Aspect.MECHANISM,
        Aspect.COMMONALITY,
        Aspect.URGENCY,
        Aspect.ACTION,
        Aspect.TREATMENT,
        Aspect.DIAGNOSIS,
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
                    .defer(*ARTICLE_TEXTS),
                    to_attr="published_evidence",
                ),
            )
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["json_ld"] = cause_json_ld(self.object)
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


class FoodDetailView(KeptContentMixin, DetailView):
    content_template_name = "knowledge/foodsource_content.html"
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

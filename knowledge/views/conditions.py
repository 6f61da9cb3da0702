"""Pages that start from what the reader feels: a kind of twitch, and its causes.

A condition page gives, in the sources' words: what the condition is, what the
sources call it (and where they name it differently), the causes they tie to it,
the most common first as they rate them, when to see a doctor, what the reader
can do, and what to eat (nutrient, then foods).

Body areas stay honest: a cause the sources tie to facial twitches is listed under
the face. A page for a part of the face (the eyelid, the nose) lists the causes
tied to that part, and then, apart, the face-wide causes that may also apply.
"""

from django.db.models import Exists, OuterRef, Prefetch, Q
from django.views.generic import DetailView, ListView

from knowledge.models import (
    Article,
    Cause,
    CauseBodyArea,
    Condition,
    FoodSource,
    Nutrient,
)
from knowledge.views.subjects import (
    Aspect,
    EvidenceContextMixin,
    KeptContentMixin,
    page_review,
)

FACE = "face"  # the body area whose causes also apply to its parts


class ConditionListView(ListView):
    """Every kind of twitch the site covers, with what the sources say it is."""

    context_object_name = "conditions"
    template_name = "knowledge/condition_list.html"

    def get_queryset(self):
        return (
            Condition.objects.with_evidence()
            .select_related("area")
            .order_by("general", "position", "name")
        )


def rated(causes: list[Cause]) -> list[Cause]:
    """The most common first, as the sources rate them; unrated ones last."""
    return sorted(causes, key=lambda c: (-(c.commonality_grade or 0), c.name))


class ConditionDetailView(KeptContentMixin, EvidenceContextMixin, DetailView):
    content_template_name = "knowledge/condition_content.html"
    context_object_name = "condition"
    brief_aspect = Aspect.DEFINITION
    fact_aspects = (Aspect.TERMINOLOGY, Aspect.NUTRITION)

    def get_queryset(self):
        return Condition.objects.with_evidence().select_related("area")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        condition = self.object
        # The sources do not all mean the same by a name: show who says what.
        names = condition.stated(Aspect.TERMINOLOGY)
        if len({item.article_id for item in names}) > 1:
            context["names_differ"] = names
            context["facts"] = [
                fact for fact in context["facts"] if fact[0] != Aspect.TERMINOLOGY
            ]
        causes, also = self.causes()
        context["causes"], context["also_apply"] = causes, also
        # The page quotes its causes' ratings too.
        context["page_review"] = page_review(
            [
                *condition.published_evidence,
                *(item for cause in causes + also for item in cause.published_evidence),
            ]
        )
        context["cause_quotes"] = condition.stated(Aspect.LINK)
        context["to_do"] = condition.stated(Aspect.ACTION) + condition.stated(
            Aspect.TREATMENT
        )
        context["nutrients"] = (
            Nutrient.objects.filter(
                causes__in=[c.pk for c in causes + also],
                causes__category=Cause.Category.NUTRIENT_DEFICIENCY,
            )
            .distinct()
            .order_by("name")
            .prefetch_related(Prefetch("foods", queryset=FoodSource.objects.distinct()))
        )
        context["sources"] = sorted(
            {item.article for item in condition.published_evidence},
            key=lambda article: article.live_title,
        )
        return context

    def causes(self) -> tuple[list[Cause], list[Cause]]:
        """The causes the sources tie to this condition, and those that may also
        apply (face-wide causes, on the page of a part of the face)."""
        condition = self.object
        quotes = condition.stated(Aspect.LINK)
        candidates = Cause.objects.with_evidence().with_grades()
        if quotes:
            # The condition's own quotes name its causes: those quoting the same
            # passages, in the order the sources give them.
            same = Q()
            for item in quotes:
                same |= Q(
                    evidence__article=item.article_id,
                    evidence__start=item.start,
                    evidence__end=item.end,
                )
            order = {(q.article_id, q.start, q.end): n for n, q in enumerate(quotes)}
            found = list(candidates.filter(same).distinct())

            def first_quote(cause: Cause) -> int:
                spans = [
                    (e.article_id, e.start, e.end) for e in cause.published_evidence
                ]
                return min((order[s] for s in spans if s in order), default=len(order))

            return sorted(found, key=first_quote), []
        if condition.area_id is None:
            return rated(list(candidates)), []
        tied = CauseBodyArea.objects.filter(cause=OuterRef("pk")).filter(
            Article.published_q("evidence__article__")
        )
        found = candidates.annotate(
            here=Exists(tied.filter(body_area=condition.area_id)),
            on_face=Exists(tied.filter(body_area__slug=FACE)),
        )
        if condition.area.slug == FACE:
            found = list(found.filter(here=True))
        else:
            found = list(found.filter(Q(here=True) | Q(on_face=True)))
        here = [c for c in found if c.here]
        also = [c for c in found if not c.here and c.on_face]
        return rated(here), rated(also)

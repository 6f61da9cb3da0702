from http import HTTPStatus

from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.views.decorators.http import require_POST
from django.views.generic import DetailView, ListView

from knowledge.markdown import render_markdown
from knowledge.models import Article, Cause, Evidence, FoodSource, Nutrient


def evidence_prefetch() -> Prefetch:
    """Evidence from published articles only, with the article it comes from.

    Build it per request: ``published()`` reads the clock when it is called.
    """
    return Prefetch(
        "evidence",
        queryset=Evidence.objects.select_related("article").filter(
            article__in=Article.objects.published()
        ),
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


class HomeView(ListView):
    template_name = "knowledge/home.html"
    context_object_name = "articles"

    def get_queryset(self):
        return Article.objects.published().select_related("source")


class ArticleDetailView(DetailView):
    context_object_name = "article"

    def get_queryset(self):
        return (
            Article.objects.published()
            .select_related("source")
            .prefetch_related("nutrients", "causes")
        )


class NutrientDetailView(EvidenceContextMixin, DetailView):
    context_object_name = "nutrient"

    def get_queryset(self):
        return Nutrient.objects.with_relations().prefetch_related(evidence_prefetch())


class CauseDetailView(EvidenceContextMixin, DetailView):
    context_object_name = "cause"

    def get_queryset(self):
        return Cause.objects.with_relations().prefetch_related(evidence_prefetch())


class FoodDetailView(DetailView):
    context_object_name = "food"

    def get_queryset(self):
        return FoodSource.objects.with_relations()


PREVIEW_MAX_BYTES = 100_000


@require_POST
def markdown_preview(request: HttpRequest) -> HttpResponse:
    """The editor's live preview, rendered exactly as the public page renders it.

    Replaces django-markdownx's own view, which any anonymous visitor may call.
    """
    user = request.user
    if not (
        user.is_active and user.is_staff and user.has_perm("knowledge.change_article")
    ):
        return HttpResponseForbidden("Only editors may preview articles.")
    content = request.POST.get("content", "")
    if len(content.encode("utf-8", errors="replace")) > PREVIEW_MAX_BYTES:
        return HttpResponse(
            "This text is too long to preview (over 100 KB).",
            status=HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
        )
    return HttpResponse(render_markdown(content))

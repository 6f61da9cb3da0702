from http import HTTPStatus

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.module_loading import import_string
from django_ratelimit.decorators import ratelimit

from search import index
from search.backends.base import COUNT_LIMIT
from search.forms import SearchForm
from search.models import SearchDocument
from search.query import counted, keeper, search

# Requests per client per minute, from settings.RATE_LIMITS (see twitchsite).
RATE = "twitchsite.clients.rate_limit"
# What a reader sees when the sources do not cover what they searched for: when to
# see a doctor, as the sources say it of every twitch, with the red flags. Named by
# its dotted path (settings.SEARCH_GUIDANCE overrides it), because the content apps
# build on search and search does not import them. The callable returns an object
# with ``general`` and ``red_flags`` lists.
GUIDANCE = "knowledge.guidance.doctor_guidance"


@ratelimit(group="search", key="ip", rate=RATE, block=True)
def search_view(request: HttpRequest) -> HttpResponse:
    """Site search over every kind of page the index holds."""
    form = SearchForm(request.GET)
    if not form.is_valid():
        if request.GET.get("format") == "json":
            return JsonResponse({"errors": form.errors}, status=HTTPStatus.BAD_REQUEST)
        context = {"form": form, "results": None}
        return render(
            request, "search/search.html", context, status=HTTPStatus.BAD_REQUEST
        )
    data = form.cleaned_data
    query = data["q"].strip()
    results = (
        search(query, kind=data["type"], page=data["page"] or 1) if query else None
    )
    if data["format"] == "json":
        return JsonResponse(
            {
                "query": query,
                "count": results.count if results else 0,
                # The count is a lower bound: matches are counted to a limit.
                "count_capped": results.capped if results else False,
                "results": [hit.as_json() for hit in results.hits] if results else [],
            }
        )
    context = {"form": form, "results": results, "query": query}
    if results is not None:
        context |= {
            "kinds": [
                {
                    "value": kind.value,
                    "label": kind.label_plural,
                    "count": results.counts.get(kind.value, 0),
                    "count_text": counted(
                        results.counts.get(kind.value, 0), capped=results.capped
                    ),
                }
                for kind in index.kinds()
            ],
            "previous_page": results.page - 1,
            "count_limit": f"{COUNT_LIMIT:,}",
            "next_page": results.page + 1,
        }
        if results.not_covered:
            guidance = doctor_guidance()
            context["general_guidance"] = guidance.general
            context["red_flags"] = guidance.red_flags
        elif not results.count:
            context["suggested"] = suggested_pages()
    return render(request, "search/search.html", context)


def doctor_guidance():
    """When to see a doctor, from the callable settings.SEARCH_GUIDANCE names."""
    return import_string(getattr(settings, "SEARCH_GUIDANCE", GUIDANCE))()


# A search that finds nothing offers at most this many pages of the suggested
# kinds, and says how many more there are.
SUGGESTED_SHOWN = 20


def suggested_pages() -> dict:
    """Ways in when a search finds nothing: the first pages of the suggested
    kinds by title, and how many more. At 100x there are 4,000 nutrients, and
    listing them all was 28 of the 43 ms such a search took."""
    return keeper()("suggested-pages", SUGGESTED_SHOWN, read_suggested_pages)


def read_suggested_pages() -> dict:
    suggested = [
        index.kind_of(model).value
        for model in index.indexed_models()
        if model.search_suggested
    ]
    pages = SearchDocument.objects.visible().filter(kind__in=suggested)
    shown = list(pages.order_by("title").values("title", "url")[:SUGGESTED_SHOWN])
    more = pages.count() - len(shown) if len(shown) == SUGGESTED_SHOWN else 0
    return {"pages": shown, "more": more}

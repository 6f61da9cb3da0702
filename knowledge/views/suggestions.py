"""Names suggested as a reader types in a table's filter (static/js/typeahead.js)."""

from __future__ import annotations

from http import HTTPStatus

from django import forms
from django.http import Http404, HttpRequest, JsonResponse

from knowledge.tables.base import SEARCH_MAX_LENGTH
from knowledge.tables.choices import CHOOSABLE


class SuggestionsForm(forms.Form):
    q = forms.CharField(max_length=SEARCH_MAX_LENGTH, required=False)


def suggestions(request: HttpRequest, kind: str) -> JsonResponse:
    """The names of foods, causes or nutrients that contain ``q``, in any case:
    those that start with it first. An empty ``q`` suggests nothing."""
    choosable = CHOOSABLE.get(kind)
    if choosable is None:
        raise Http404("Nothing is suggested of that kind.")
    form = SuggestionsForm(request.GET)
    if not form.is_valid():
        return JsonResponse({"errors": form.errors}, status=HTTPStatus.BAD_REQUEST)
    text = form.cleaned_data["q"]  # stripped by the field
    names = choosable.suggestions(text) if text else []
    response = JsonResponse({"q": text, "suggestions": names})
    # For the typeahead, not for search engines' results.
    response["X-Robots-Tag"] = "noindex"
    return response


# For the page cache's key (twitchsite.middleware.pagecache).
suggestions.query_parameters = frozenset({"q"})

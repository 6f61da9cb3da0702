from django import forms

from search import index
from search.query import MAX_QUERY_LENGTH

MAX_PAGE = 100


def kind_choices() -> list[tuple[str, str]]:
    return [("", "Everything"), *((kind.value, kind.label) for kind in index.kinds())]


class SearchForm(forms.Form):
    q = forms.CharField(
        label="Search",
        max_length=MAX_QUERY_LENGTH,
        required=False,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    type = forms.ChoiceField(choices=kind_choices, required=False)
    page = forms.IntegerField(min_value=1, max_value=MAX_PAGE, required=False)
    format = forms.ChoiceField(choices=[("", "HTML"), ("json", "JSON")], required=False)

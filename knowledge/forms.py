from django import forms

from knowledge.models import SearchDocument
from knowledge.search import MAX_QUERY_LENGTH

MAX_PAGE = 100


class SearchForm(forms.Form):
    q = forms.CharField(
        label="Search",
        max_length=MAX_QUERY_LENGTH,
        required=False,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    type = forms.ChoiceField(
        choices=[("", "Everything"), *SearchDocument.Kind.choices], required=False
    )
    page = forms.IntegerField(min_value=1, max_value=MAX_PAGE, required=False)
    format = forms.ChoiceField(choices=[("", "HTML"), ("json", "JSON")], required=False)

from django.contrib import admin

from search.models import SearchQueryLog, Synonym


@admin.register(Synonym)
class SynonymAdmin(admin.ModelAdmin):
    list_display = ["__str__", "note", "source"]
    search_fields = ["terms", "note"]
    autocomplete_fields = ["stated_in"]
    list_select_related = ["stated_in__article"]

    @admin.display(description="stated by")
    def source(self, synonym) -> str:
        return str(synonym.stated_in.article) if synonym.stated_in else "Us (editorial)"


@admin.register(SearchQueryLog)
class SearchQueryLogAdmin(admin.ModelAdmin):
    """The searches that found nothing: where new synonyms come from."""

    list_display = ["query", "date", "count"]
    list_filter = ["date"]
    search_fields = ["query"]
    date_hierarchy = "date"
    ordering = ["-count", "-date"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

"""The knowledge base in the admin: causes, nutrients, foods and their evidence.

Articles have their own admin, with the editorial workflow (``editorial.admin``).
"""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from knowledge.models import (
    BodyArea,
    Cause,
    CauseBodyArea,
    CauseSymptom,
    Evidence,
    FoodSource,
    Nutrient,
    NutrientFood,
    SourceDocument,
    Symptom,
)


class EvidenceInline(admin.StackedInline):
    model = Evidence
    extra = 0
    fields = ["article", "aspect", "stance", "value", "passage", "locator"]
    autocomplete_fields = ["article"]


class CauseSymptomInline(admin.TabularInline):
    model = CauseSymptom
    extra = 0
    autocomplete_fields = ["symptom", "evidence"]


class CauseBodyAreaInline(admin.TabularInline):
    model = CauseBodyArea
    extra = 0
    autocomplete_fields = ["evidence"]


class NutrientFoodInline(admin.TabularInline):
    model = NutrientFood
    extra = 0
    autocomplete_fields = ["food", "evidence"]


@admin.register(SourceDocument)
class SourceDocumentAdmin(admin.ModelAdmin):
    list_display = ["filename", "key", "sha256"]
    search_fields = ["filename", "text"]
    readonly_fields = ["key", "filename", "sha256", "text"]


@admin.register(Nutrient)
class NutrientAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "deficiency_term"]
    list_filter = ["kind"]
    search_fields = ["name", "aliases", "deficiency_term"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [NutrientFoodInline, EvidenceInline]


@admin.register(Cause)
class CauseAdmin(SimpleHistoryAdmin):
    list_display = ["name", "category", "nutrient", "commonality", "urgency"]
    list_filter = ["category", "commonality", "urgency"]
    search_fields = ["name", "aliases", "mechanism"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["nutrient"]
    inlines = [CauseSymptomInline, CauseBodyAreaInline, EvidenceInline]


@admin.register(FoodSource)
class FoodSourceAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "category", "diet"]
    list_filter = ["kind", "category", "diet"]
    search_fields = ["name", "examples"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Evidence)
class EvidenceAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "aspect", "stance", "locator"]
    list_filter = ["stance", "aspect", "article"]
    search_fields = ["passage", "value", "cause__name", "nutrient__name"]
    autocomplete_fields = ["article", "cause", "nutrient"]
    list_select_related = ["article", "cause", "nutrient"]


@admin.register(Symptom, BodyArea)
class LookupAdmin(admin.ModelAdmin):
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}

"""The reader's pages. The comparison tables have their own package
(``knowledge.tables``)."""

from knowledge.views.conditions import ConditionDetailView, ConditionListView
from knowledge.views.pages import (
    AboutView,
    ArticleDetailView,
    ArticleListView,
    HomeView,
    marked_body,
    robots_txt,
)
from knowledge.views.subjects import (
    CauseDetailView,
    FoodDetailView,
    NutrientDetailView,
    group_evidence,
)

__all__ = [
    "AboutView",
    "ArticleDetailView",
    "ArticleListView",
    "CauseDetailView",
    "ConditionDetailView",
    "ConditionListView",
    "FoodDetailView",
    "HomeView",
    "NutrientDetailView",
    "group_evidence",
    "marked_body",
    "robots_txt",
]

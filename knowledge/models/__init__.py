"""The knowledge base's models: the content itself, and the search index over it."""

from knowledge.models.content import (
    NOT_STATED,
    Article,
    ArticleTransition,
    BodyArea,
    Cause,
    CauseBodyArea,
    CauseSymptom,
    Commonality,
    Evidence,
    FoodSource,
    Nutrient,
    NutrientFood,
    ReviewerProfile,
    SourceDocument,
    Symptom,
    Urgency,
)
from knowledge.models.search import SearchDocument, SearchQueryLog, SearchTerm, Synonym

__all__ = [
    "NOT_STATED",
    "Article",
    "ArticleTransition",
    "BodyArea",
    "Cause",
    "CauseBodyArea",
    "CauseSymptom",
    "Commonality",
    "Evidence",
    "FoodSource",
    "Nutrient",
    "NutrientFood",
    "ReviewerProfile",
    "SearchDocument",
    "SearchQueryLog",
    "SearchTerm",
    "SourceDocument",
    "Symptom",
    "Synonym",
    "Urgency",
]

"""The knowledge base: source documents, articles, causes, nutrients and foods."""

from knowledge.models.articles import Article
from knowledge.models.entities import (
    NOT_STATED,
    BodyArea,
    Cause,
    Commonality,
    FoodSource,
    Nutrient,
    Symptom,
    Urgency,
)
from knowledge.models.evidence import (
    CauseBodyArea,
    CauseSymptom,
    Evidence,
    NutrientFood,
)
from knowledge.models.sources import SourceDocument

__all__ = [
    "NOT_STATED",
    "Article",
    "BodyArea",
    "Cause",
    "CauseBodyArea",
    "CauseSymptom",
    "Commonality",
    "Evidence",
    "FoodSource",
    "Nutrient",
    "NutrientFood",
    "SourceDocument",
    "Symptom",
    "Urgency",
]

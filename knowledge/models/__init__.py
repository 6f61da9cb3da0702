"""The knowledge base: source documents, articles, causes, nutrients and foods."""

from knowledge.models.articles import Article, ArticleRedirect
from knowledge.models.causes import Cause
from knowledge.models.conditions import Condition
from knowledge.models.entities import (
    NOT_STATED,
    BodyArea,
    Commonality,
    Symptom,
    Urgency,
    grade_of,
)
from knowledge.models.evidence import (
    CauseBodyArea,
    CauseSymptom,
    Evidence,
    NutrientFood,
)
from knowledge.models.nutrients import FoodSource, Nutrient
from knowledge.models.sources import SourceDocument

__all__ = [
    "NOT_STATED",
    "Article",
    "ArticleRedirect",
    "BodyArea",
    "Cause",
    "CauseBodyArea",
    "CauseSymptom",
    "Condition",
    "Commonality",
    "Evidence",
    "FoodSource",
    "Nutrient",
    "NutrientFood",
    "SourceDocument",
    "Symptom",
    "Urgency",
    "grade_of",
]

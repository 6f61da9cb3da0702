"""The tables' test data: causes a reader filters by twitch, nutrients and foods."""

import pytest

from knowledge.models import Cause
from tests.factories import (
    ArticleFactory,
    BodyAreaFactory,
    CauseFactory,
    FoodSourceFactory,
    NutrientFactory,
    SymptomFactory,
    link_area,
    link_food,
    link_symptom,
    state,
)


@pytest.fixture
def twitch_causes():
    eyelid = BodyAreaFactory(slug="eyelid")
    face = BodyAreaFactory(slug="face")
    cramps = SymptomFactory(name="Cramps", slug="cramps")
    tingling = SymptomFactory(name="Tingling", slug="tingling")
    magnesium = NutrientFactory(name="Magnesium", slug="magnesium")
    table = ArticleFactory(title="A table of causes")  # states every grade below
    deficiency = CauseFactory(
        name="Magnesium deficiency",
        category=Cause.Category.NUTRIENT_DEFICIENCY,
        nutrient=magnesium,
    )
    state(deficiency, "commonality", "Common", article=table)
    state(deficiency, "urgency", "Low (unless other severe symptoms)", article=table)
    state(deficiency, "mechanism", "Nerve hyperexcitability.", article=table)
    stress = CauseFactory(name="Stress")
    state(stress, "commonality", "Very Common", article=table)
    state(stress, "urgency", "Low (manage with stress reduction)", article=table)
    neuro = CauseFactory(
        name="Neurological conditions", category=Cause.Category.NEUROLOGICAL
    )
    state(neuro, "commonality", "Rare", article=table)
    state(neuro, "urgency", "High (requires medical evaluation)", article=table)
    state(neuro, "warning", "Persistent, widespread spasms.", article=table)
    unknown = CauseFactory(name="Medications", category=Cause.Category.MEDICATION)
    link_area(deficiency, eyelid)
    link_area(stress, eyelid)
    link_area(neuro, face)
    link_symptom(deficiency, cramps)
    link_symptom(neuro, cramps)
    link_symptom(neuro, tingling)
    return {
        "deficiency": deficiency,
        "stress": stress,
        "neuro": neuro,
        "unknown": unknown,
    }


@pytest.fixture
def nutrient_foods():
    magnesium = NutrientFactory(name="Magnesium", slug="magnesium")
    calcium = NutrientFactory(name="Calcium", slug="calcium")
    b12 = NutrientFactory(name="Vitamin B12", slug="b12", kind="vitamin")
    greens = FoodSourceFactory(name="Leafy greens", slug="greens")
    dairy = FoodSourceFactory(
        name="Dairy", slug="dairy", category="dairy", diet="vegetarian"
    )
    meat = FoodSourceFactory(name="Meat", slug="meat", category="meat", diet="omnivore")
    sunlight = FoodSourceFactory(
        name="Sunlight", slug="sunlight", kind="other", category="sunlight", diet=""
    )
    chocolate = FoodSourceFactory(
        name="Dark chocolate", slug="chocolate", category="other_food", diet=""
    )
    link_food(magnesium, greens)
    link_food(magnesium, chocolate)
    link_food(calcium, greens)
    link_food(calcium, greens)  # a second source says so too
    link_food(calcium, dairy)
    link_food(b12, meat)
    link_food(b12, dairy)
    CauseFactory(
        name="Magnesium deficiency",
        slug="magnesium-deficiency",
        category="nutrient_deficiency",
        nutrient=magnesium,
    )
    return locals()

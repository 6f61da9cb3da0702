"""The tables' test data: causes a reader filters by twitch, nutrients and foods."""

import pytest

from knowledge.models import Cause, Commonality, Urgency
from tests.factories import (
    BodyAreaFactory,
    CauseFactory,
    FoodSourceFactory,
    NutrientFactory,
    SymptomFactory,
    link_area,
    link_food,
    link_symptom,
)


@pytest.fixture
def twitch_causes():
    eyelid = BodyAreaFactory(slug="eyelid")
    face = BodyAreaFactory(slug="face")
    cramps = SymptomFactory(name="Cramps", slug="cramps")
    tingling = SymptomFactory(name="Tingling", slug="tingling")
    magnesium = NutrientFactory(name="Magnesium", slug="magnesium")
    deficiency = CauseFactory(
        name="Magnesium deficiency",
        category=Cause.Category.NUTRIENT_DEFICIENCY,
        nutrient=magnesium,
        commonality=Commonality.COMMON,
        urgency=Urgency.LOW,
        mechanism="Nerve hyperexcitability.",
    )
    stress = CauseFactory(
        name="Stress", commonality=Commonality.VERY_COMMON, urgency=Urgency.LOW
    )
    neuro = CauseFactory(
        name="Neurological conditions",
        category=Cause.Category.NEUROLOGICAL,
        commonality=Commonality.RARE,
        urgency=Urgency.HIGH,
        warning_signs="Persistent, widespread spasms.",
    )
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

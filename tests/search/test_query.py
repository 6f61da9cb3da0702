"""Site search, on whichever database the suite runs (CI runs SQLite and PostgreSQL)."""

import pytest

from search.models import Synonym
from search.query import search

pytestmark = pytest.mark.django_db


# Each query, written the way a reader would type it, must find the page named
# beside it among the first three results. Built from what the documents say.
RELEVANCE = [
    ("muscle relaxant", {"Magnesium"}),
    ("yogurt", {"Calcium", "Dairy products"}),
    ("Bell's palsy", {"Neurological conditions"}),
    ("vitamn d", {"Vitamin D"}),
    ("twitching after coffee", {"Excessive caffeine"}),
    ("eye twitching", {"Eyelid twitching", "Eye strain"}),
    ("low magnesium", {"Magnesium deficiency"}),
    ("magnesum", {"Magnesium"}),
    ("hypocalcemia", {"Calcium deficiency"}),
    ("low calcium", {"Calcium deficiency"}),
    ("cobalamin", {"Vitamin B12"}),
    ("hemifacial spasm", {"Hemifacial spasm", "Neurovascular compression"}),
    ("Chvostek's sign", {"Calcium deficiency"}),
    ("sunshine vitamin", {"Vitamin D"}),
    ("fish oil", {"Omega-3 fatty acids", "Fish oil"}),
    ("myelin", {"Vitamin B12", "Vitamin B12 deficiency"}),
    ("diuretics", {"Medications"}),
    ("lack of sleep", {"Fatigue and lack of sleep"}),
    ("stress", {"Stress and anxiety"}),
    ("too much screen time", {"Eye strain"}),
    ("nose twitching", {"Understanding the Causes of Muscle Twitches"}),
    ("B6 supplements", {"Excessive vitamin B6"}),
    ("electrolyte imbalance", {"Dehydration"}),
    ("spinach", {"Leafy greens"}),
    ("salmon", {"Fatty fish"}),
    ("tetany", {"Calcium deficiency"}),
    ("high blood pressure", {"Vascular damage from high blood pressure or diabetes"}),
    (
        "fasciculations",
        {"Fasciculations and Nutrient Deficiencies", "Fasciculations in the body"},
    ),
    ("nutritional yeast", {"Nutritional yeast", "Vitamin B12"}),
    ("calcuim deficiency", {"Calcium deficiency"}),
    ("sunlight", {"Sunlight exposure", "Vitamin D"}),
]


@pytest.mark.parametrize(("query", "expected"), RELEVANCE)
def test_relevance(knowledge_base, query, expected):
    top = [hit.title for hit in search(query).hits[:3]]
    assert expected & set(top), f"{query!r} gave {top}"


def test_relevance_table_is_large_enough():
    assert len(RELEVANCE) >= 25


def test_did_you_mean_when_a_word_is_misspelt_but_others_match(knowledge_base):
    results = search("calcium defficiency")
    assert results.suggestion == "calcium deficiency" or results.corrected


def test_editor_synonyms_take_effect_at_once(knowledge_base):
    assert not search("twitchy lid").total
    Synonym.objects.create(terms="twitchy lid\neyelid twitches")
    assert "Eye strain" in [hit.title for hit in search("twitchy lid").hits]

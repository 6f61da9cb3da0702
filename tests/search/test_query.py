"""Site search, on whichever database the suite runs (CI runs SQLite and PostgreSQL)."""

import pytest

from knowledge.models import Nutrient
from search.models import SearchQueryLog, Synonym
from search.query import best_correction, search

pytestmark = pytest.mark.django_db


# What the documents say provides each nutrient (knowledge's NutrientFood).
MAGNESIUM_FOODS = {
    "Avocados",
    "Dark chocolate",
    "Leafy greens",
    "Legumes",
    "Nuts",
    "Seeds",
    "Whole grains",
}
CALCIUM_FOODS = {"Almonds", "Dairy products", "Fortified plant milks", "Leafy greens"}
B12_FOODS = {
    "Dairy products",
    "Eggs",
    "Fish",
    "Fortified cereals",
    "Meat",
    "Nutritional yeast",
}
VITAMIN_D_FOODS = {
    "Egg yolks",
    "Fatty fish",
    "Fortified cereals",
    "Fortified foods",
    "Fortified milk",
    "Sunlight exposure",
}

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
    # Worried readers write questions and complaints: the words around the twitch
    # ("won't stop", "keep", "why") must not decide what comes first.
    ("eye twitching won't stop", {"Eyelid twitching", "Eye strain"}),
    ("why does my eyelid keep twitching", {"Eyelid twitching", "Eye strain"}),
    ("is it normal for my eye to twitch", {"Eyelid twitching", "Eye strain"}),
    ("eyelid twiching wont stop", {"Eyelid twitching"}),
    ("twitching all over body", {"Fasciculations in the body"}),
    ("face twitching one side", {"Hemifacial spasm"}),
    ("my face keeps twitching", {"Hemifacial spasm", "Facial twitching"}),
    ("can low vitamin d cause twitching", {"Vitamin D deficiency"}),
    ("does stress cause twitching", {"Stress and anxiety"}),
    ("what causes eyelid twitching", {"Eye strain", "Fatigue and lack of sleep"}),
    ("b12 deficiency symptoms", {"Vitamin B12 deficiency"}),
    ("low magnesium symptoms", {"Magnesium deficiency"}),
    ("is twitching serious", {"Muscle twitches", "Fasciculations in the body"}),
    ("nose twitch", {"Nose twitching (myokymia)"}),
    ("hemifacial spasm treatment", {"Hemifacial spasm"}),
    ("caffeine twitching", {"Excessive caffeine"}),
    ("twitching and tingling", {"Vitamin B12 deficiency"}),
    # Abbreviations and spellings of conditions the sources name.
    ("bells palsy", {"Neurological conditions"}),
    ("MS", {"Neurological conditions"}),
    ("HFS", {"Hemifacial spasm"}),
    # Asking for food: the nutrient's foods (and the nutrient) first.
    ("magnesium foods", MAGNESIUM_FOODS),
    ("what to eat for magnesium", MAGNESIUM_FOODS),
    ("sources of magnesium", MAGNESIUM_FOODS),
    ("foods for calcium", CALCIUM_FOODS),
    ("b12 food sources", B12_FOODS),
    ("foods high in vitamin d", VITAMIN_D_FOODS),
    ("what to eat for twitching", {"Magnesium", "Calcium", "Vitamin D", "Vitamin B12"}),
]
RELEVANCE_BEFORE = 31  # the table's size before the worried readers' queries


@pytest.mark.parametrize(("query", "expected"), RELEVANCE)
def test_relevance(knowledge_base, query, expected):
    top = [hit.title for hit in search(query).hits[:3]]
    assert expected & set(top), f"{query!r} gave {top}"


def test_relevance_table_is_large_enough():
    assert len(RELEVANCE) >= RELEVANCE_BEFORE + 15


def test_did_you_mean_when_a_word_is_misspelt_but_others_match(knowledge_base):
    results = search("calcium defficiency")
    assert results.suggestion == "calcium deficiency" or results.corrected


def test_editor_synonyms_take_effect_at_once(knowledge_base):
    assert not search("twitchy lid").total
    Synonym.objects.create(terms="twitchy lid\neyelid twitches")
    assert "Eye strain" in [hit.title for hit in search("twitchy lid").hits]


@pytest.mark.parametrize(
    ("query", "name"),
    [
        ("ALS", "ALS (amyotrophic lateral sclerosis)"),
        ("als twitching", "ALS (amyotrophic lateral sclerosis)"),
        ("ALS fasciculations", "ALS (amyotrophic lateral sclerosis)"),
        ("amyotrophic lateral sclerosis", "ALS (amyotrophic lateral sclerosis)"),
        ("parkinsons", "Parkinson's disease"),
        ("Parkinson's disease tremor", "Parkinson's disease or tremor"),
        ("benign fasciculation syndrome", "benign fasciculation syndrome"),
        ("dystonia", "dystonia"),
        ("restless legs", "restless legs syndrome"),
    ],
)
def test_a_term_the_sources_do_not_cover_is_named_and_nothing_else_is_shown(
    knowledge_base, query, name
):
    results = search(query)
    assert results.not_covered_text == name
    assert results.hits == []
    assert results.total == 0
    assert not results.any_word
    assert (results.corrected, results.suggestion, results.synonyms) == ("", "", [])


def test_a_term_the_sources_do_not_cover_is_logged_for_the_editors(knowledge_base):
    search("ALS")
    assert SearchQueryLog.objects.get().query == "als"


@pytest.mark.parametrize("query", ["bells palsy", "Bell's palsy", "MS", "HFS"])
def test_a_term_the_sources_cover_finds_its_pages(knowledge_base, query):
    results = search(query)
    assert results.hits
    assert results.not_covered == []


@pytest.mark.parametrize(
    "query",
    [
        "ALS",
        "als",
        "bells palsy",
        "what to eat for twitching",
        "MS",
        "B12",
        "HFS",
        "tired twitching",
        "chest twitching",
    ],
)
def test_real_words_and_terms_are_never_corrected(knowledge_base, query):
    results = search(query)
    assert (results.corrected, results.suggestion) == ("", "")


@pytest.mark.parametrize(
    ("typo", "meant"),
    [("magnesum", "magnesium"), ("vitamn d", "vitamin d"), ("calcuim", "calcium")],
)
def test_typos_in_long_words_are_still_corrected(knowledge_base, typo, meant):
    assert search(typo).corrected == meant


def test_a_correction_keeps_the_first_letter_and_never_lands_on_a_stopword():
    assert best_correction("bellss", ["cellss", "bells"]) == "bells"
    assert best_correction("alsoo", ["also"]) == ""
    assert best_correction("ceyelid", ["eyelid"]) == ""


def test_complaint_words_do_not_rank_a_page_that_mentions_them(knowledge_base):
    top = [hit.title for hit in search("eye twitching won't stop").hits[:3]]
    assert "Excessive vitamin B6" not in top
    assert top[0] in {"Eyelid twitching", "Eye strain"}


@pytest.mark.parametrize(
    ("query", "nutrient"),
    [
        ("magnesium foods", "Magnesium"),
        ("what to eat for magnesium", "Magnesium"),
        ("foods for calcium", "Calcium"),
        ("b12 food sources", "Vitamin B12"),
        ("foods high in vitamin d", "Vitamin D"),
    ],
)
def test_asking_for_food_gives_the_nutrients_foods_first_with_the_nutrient(
    knowledge_base, query, nutrient
):
    foods = set(
        Nutrient.objects.get(name=nutrient).foods.values_list("name", flat=True)
    )
    results = search(query)
    first = [hit.title for hit in results.hits[: len(foods) + 1]]
    assert set(first) == foods | {nutrient}, first
    # Every food found is one the nutrient is linked to.
    assert {hit.title for hit in search(query, kind="food").hits} == foods


def test_asking_for_food_finds_what_the_typo_found(knowledge_base):
    """ "magnesium foods" once found one food, while "magnesim" found all seven."""
    assert {hit.title for hit in search("magnesium foods", kind="food").hits} == {
        hit.title for hit in search("magnesim", kind="food").hits
    }

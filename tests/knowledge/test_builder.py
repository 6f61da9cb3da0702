"""The real knowledge base: built from the documents, loaded, and true to them."""

import hashlib
import importlib
import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db.models import Count

from knowledge.builder import build_fixture
from knowledge.models import (
    Article,
    BodyArea,
    Cause,
    CauseSymptom,
    Evidence,
    FoodSource,
    Nutrient,
    NutrientFood,
    SourceDocument,
    Symptom,
)

pytestmark = pytest.mark.django_db


FIXTURES = Path(settings.KNOWLEDGE_FIXTURES_DIR)


SOURCES = FIXTURES / "sources"


COLUMN_ASPECTS = {
    "Nutrient": "name",
    "Cause": "name",
    "Food Sources": "food_sources",
    "Role in Muscle/Nerve Function": "role",
    "Mechanism": "mechanism",
    "Primary Mechanism": "mechanism",
    "Accompanying Symptoms": "symptoms",
    "Symptoms": "symptoms",
    "Recommended Action": "action",
    "Commonality": "commonality",
    "Urgency to See Doctor": "urgency",
}


def source_tables() -> list[tuple[str, list[str], list[list[str]]]]:
    """Every pipe table in the documents, parsed independently of the builder."""
    tables = []
    for path in sorted(SOURCES.glob("*.txt")):
        lines = path.read_text().splitlines()
        for index, line in enumerate(lines[:-1]):
            if "|" in line and re.fullmatch(r"[|\-\s]+", lines[index + 1].strip()):
                header = [c.strip() for c in line.strip().strip("|").split("|")]
                rows = []
                for row in lines[index + 2 :]:
                    if "|" not in row:
                        break
                    rows.append([c.strip() for c in row.strip().strip("|").split("|")])
                tables.append((path.name, header, rows))
    return tables


def test_committed_fixture_equals_what_the_command_builds():
    assert build_fixture(FIXTURES) == (FIXTURES / "knowledge.json").read_text()


def test_source_documents_are_copied_unchanged_with_their_checksums(knowledge_base):
    documents = SourceDocument.objects.all()
    assert [d.filename for d in documents] == sorted(p.name for p in SOURCES.iterdir())
    for document in documents:
        raw = (SOURCES / document.filename).read_bytes()
        assert document.text == raw.decode()
        assert document.sha256 == hashlib.sha256(raw).hexdigest()


def test_loading_twice_changes_nothing(knowledge_base):
    counts = [model.objects.count() for model in (Article, Evidence, Cause)]
    call_command("load_knowledge", verbosity=0)
    assert [model.objects.count() for model in (Article, Evidence, Cause)] == counts


def test_knowledge_base_has_the_expected_entities(knowledge_base):
    assert Article.objects.published().count() == 4
    assert Nutrient.objects.count() == 6
    assert Cause.objects.count() == 17
    assert FoodSource.objects.count() == 21
    assert Symptom.objects.count() == 21
    assert set(BodyArea.objects.values_list("slug", flat=True)) == {
        "face",
        "eyelid",
        "nose",
        "general",
    }


def test_each_document_is_one_published_article(knowledge_base):
    for document in SourceDocument.objects.all():
        article = document.article
        assert article.status == Article.Status.PUBLISHED
        assert article.summary in document.text
        assert article.evidence.exists()


def test_every_quote_is_the_slice_of_its_document_its_offsets_say(knowledge_base):
    evidence = Evidence.objects.select_related("article__source")
    assert evidence.count() > 150
    for item in evidence:
        source_text = item.article.source.text
        assert source_text[item.start : item.end] == item.passage, item.pk
        assert item.value in item.passage, item.value


def test_the_migration_places_existing_quotes_where_the_builder_does():
    migration = importlib.import_module(
        "knowledge.migrations.0010_source_documents_and_passage_offsets"
    )
    records = json.loads((FIXTURES / "knowledge.json").read_text())
    texts = {
        r["pk"]: r["fields"]["text"]
        for r in records
        if r["model"] == "knowledge.sourcedocument"
    }
    sources = {
        r["pk"]: r["fields"]["source"]
        for r in records
        if r["model"] == "knowledge.article"
    }
    quotes = [r["fields"] for r in records if r["model"] == "knowledge.evidence"]
    for quote in quotes:
        text = texts[sources[quote["article"]]]
        placed = migration._offsets(text, quote["passage"], quote["locator"])
        assert placed == (quote["start"], quote["end"]), quote["passage"]


def test_causes_and_nutrients_hold_no_fact_of_their_own():
    """Every value shown is read from evidence: the entities keep only our names
    and classifications."""
    fields = {
        model: {
            field.name
            for field in model._meta.concrete_fields
            if not field.primary_key and not field.is_relation
        }
        for model in (Cause, Nutrient, FoodSource)
    }
    assert fields == {
        Cause: {"name", "slug", "category"},
        Nutrient: {"name", "slug", "kind"},
        FoodSource: {"name", "slug", "kind", "category", "diet"},
    }


def test_names_and_deficiency_names_are_quoted_in_the_sources_words(knowledge_base):
    nutrients = Nutrient.objects.with_evidence()
    names = {n.slug: (n.alias_list, n.deficiency_names()) for n in nutrients}
    assert names["magnesium"][1] == ["Hypomagnesemia"]  # "hypomagnesemia" too
    assert names["calcium"][1] == ["Hypocalcemia"]
    assert "sunshine vitamin" in names["vitamin-d"][0]
    assert "B12" in names["vitamin-b12"][0]
    for nutrient in nutrients:
        for quote in nutrient.published_evidence:
            assert quote.stated_value in quote.passage


def test_every_cell_of_the_three_tables_is_in_the_database(knowledge_base):
    tables = source_tables()
    assert [(name, len(rows)) for name, _, rows in tables] == [
        ("000_2084b6e303462f44.txt", 4),
        ("002_d7f094e68566654f.txt", 6),
        ("003_aa20c54c79f17f9d.txt", 5),
    ]
    for filename, header, rows in tables:
        article = Article.objects.get(source__filename=filename)
        aspects = [COLUMN_ASPECTS[column] for column in header]
        for row in rows:
            named = Evidence.objects.filter(
                article=article, aspect=Evidence.Aspect.NAME, value=row[0]
            )
            assert named.exists(), (filename, row[0])
            for subject in named:
                for cell, aspect in zip(row, aspects, strict=True):
                    assert Evidence.objects.filter(
                        article=article,
                        cause=subject.cause_id,
                        nutrient=subject.nutrient_id,
                        aspect=aspect,
                        value=cell,
                        passage=cell,
                    ).exists(), (filename, row[0], cell)


def test_table_symptoms_are_filterable_records_with_their_source(knowledge_base):
    row = Evidence.objects.get(
        aspect=Evidence.Aspect.SYMPTOMS,
        cause__slug="vitamin-b12-deficiency",
        article__slug="fasciculations-and-nutrient-deficiencies",
        locator__startswith="Table",
    )
    assert row.value == "Numbness, tingling, weakness, fatigue, irritability."
    linked = CauseSymptom.objects.filter(evidence=row).values_list(
        "symptom__slug", flat=True
    )
    assert set(linked) == {
        "numbness",
        "tingling",
        "weakness",
        "fatigue",
        "irritability",
    }
    tingling = Cause.objects.filter(symptoms__slug="tingling").distinct()
    assert {c.slug for c in tingling} >= {
        "calcium-deficiency",
        "vitamin-b12-deficiency",
        "vitamin-b6-excess",
    }


def test_table_food_sources_link_foods_to_nutrients_with_their_wording(knowledge_base):
    vitamin_d = Nutrient.objects.get(slug="vitamin-d")
    stated = set(
        NutrientFood.objects.filter(
            nutrient=vitamin_d, evidence__locator__startswith="Table"
        ).values_list("stated_as", "food__slug")
    )
    assert stated == {
        ("Sunlight exposure", "sunlight"),
        ("fatty fish (salmon)", "fatty-fish"),
        ("fortified milk and cereals", "fortified-milk"),
        ("fortified milk and cereals", "fortified-cereals"),
        ("egg yolks", "egg-yolks"),
    }


def test_sunlight_is_a_source_of_vitamin_d_but_not_a_food(knowledge_base):
    sunlight = FoodSource.objects.get(slug="sunlight")
    assert sunlight.kind == FoodSource.Kind.OTHER
    assert sunlight.diet == ""
    assert list(sunlight.nutrients.distinct()) == [
        Nutrient.objects.get(slug="vitamin-d")
    ]


def test_one_record_per_real_world_cause_across_documents(knowledge_base):
    def stated_names(slug):
        return set(
            Evidence.objects.filter(cause__slug=slug, aspect="name").values_list(
                "value", flat=True
            )
        )

    assert stated_names("stress-and-anxiety") == {"Stress & Anxiety", "Stress/Anxiety"}
    assert stated_names("excessive-caffeine") == {
        "Caffeine Overload",
        "Excessive Caffeine",
    }
    # Names other than the site's own are kept as aliases for search.
    stress = Cause.objects.with_evidence().get(slug="stress-and-anxiety")
    assert set(stress.alias_list) == {"Stress & Anxiety", "Stress/Anxiety"}
    caffeine = Cause.objects.with_evidence().get(slug="excessive-caffeine")
    assert caffeine.alias_list == ["Caffeine Overload"]
    for slug in ("stress-and-anxiety", "excessive-caffeine"):
        documents = (
            Evidence.objects.filter(cause__slug=slug)
            .values("article")
            .distinct()
            .count()
        )
        assert documents == 3, slug


def test_mineral_deficiency_row_informs_magnesium_and_calcium(knowledge_base):
    mineral_row = "Mineral Deficiency (Magnesium/Calcium)"
    named = Evidence.objects.filter(aspect=Evidence.Aspect.NAME, value=mineral_row)
    assert {e.cause.slug for e in named} == {
        "magnesium-deficiency",
        "calcium-deficiency",
    }
    for slug in ("magnesium-deficiency", "calcium-deficiency"):
        cause = Cause.objects.with_grades().with_evidence().get(slug=slug)
        assert cause.commonality == Cause.Commonality.COMMON
        assert cause.urgency == Cause.Urgency.LOW
        assert cause.symptoms.filter(slug="general-muscle-twitches").exists()
        # The row names both together: shown for each, and marked as inferred.
        rated = cause.stated(Evidence.Aspect.URGENCY)
        assert [e.stated_value for e in rated] == ["Low (unless other severe symptoms)"]
        assert "together" in rated[0].inference


def test_sources_disagree_and_the_data_says_so(knowledge_base):
    def stances(cause_slug, article_slug):
        return set(
            Evidence.objects.filter(
                cause__slug=cause_slug,
                article__slug=article_slug,
                aspect=Evidence.Aspect.LINK,
            ).values_list("stance", flat=True)
        )

    # The facial-twitch articles link B12 deficiency to facial twitching ...
    assert "supports" in stances("vitamin-b12-deficiency", "nutrients-and-nerves")
    # ... the hemifacial-spasm article says nutrition is not a direct cause ...
    assert stances("vitamin-b12-deficiency", "hemifacial-spasm-and-nutrition") == {
        "disputes"
    }
    # ... and the fasciculation article calls the vitamin D evidence "mixed".
    mixed = Evidence.objects.get(
        cause__slug="vitamin-d-deficiency",
        stance=Evidence.Stance.QUALIFIES,
        article__slug="fasciculations-and-nutrient-deficiencies",
    )
    assert "mixed results" in mixed.passage


def test_values_no_source_states_are_left_empty(knowledge_base):
    vitamin_d = (
        Cause.objects.with_grades().with_evidence().get(slug="vitamin-d-deficiency")
    )
    assert vitamin_d.urgency is None
    assert vitamin_d.commonality is None
    assert not vitamin_d.stated(Evidence.Aspect.URGENCY)
    nutrient = Nutrient.objects.with_evidence().get(slug="vitamin-d")
    assert nutrient.deficiency_names() == []
    medications = Cause.objects.with_evidence().get(slug="medications")
    assert medications.mechanism() == ""
    assert not medications.stated(Evidence.Aspect.ACTION)


def test_every_cause_the_documents_name_is_there_with_a_quote(knowledge_base):
    prose_only = {
        "vitamin-d-deficiency": "sunshine vitamin",
        "eye-strain": "computer screen",
        "dehydration": "electrolyte imbalances",
        "strenuous-exercise": "strenuous exercise",
        "medications": "diuretics and corticosteroids",
        "neurovascular-compression": "seventh cranial nerve",
        "benign-tumours-and-structural-abnormalities": "benign tumors",
        "vascular-damage-from-chronic-disease": "poor nutrition does not directly",
        "alcohol-and-other-stimulants": "alcohol, or other stimulants",
    }
    for slug, phrase in prose_only.items():
        links = Evidence.objects.filter(cause__slug=slug, aspect=Evidence.Aspect.LINK)
        assert any(phrase in e.passage for e in links), slug
    assert not Cause.objects.annotate(n=Count("evidence")).filter(n=0).exists()
    assert not Cause.objects.filter(body_areas__isnull=True).exists()


def test_deficiency_and_excess_causes_name_their_nutrient(knowledge_base):
    nutrient_causes = Cause.objects.filter(
        category__in=["nutrient_deficiency", "nutrient_excess"]
    )
    assert {(c.slug, c.nutrient.slug) for c in nutrient_causes} == {
        ("magnesium-deficiency", "magnesium"),
        ("calcium-deficiency", "calcium"),
        ("vitamin-d-deficiency", "vitamin-d"),
        ("vitamin-b12-deficiency", "vitamin-b12"),
        ("vitamin-b6-excess", "vitamin-b6"),
    }


def test_articles_relate_to_what_their_evidence_is_about(knowledge_base):
    article = Article.objects.get(slug="hemifacial-spasm-and-nutrition")
    assert article.causes.filter(slug="neurovascular-compression").exists()
    assert article.nutrients.filter(slug="omega-3-fatty-acids").exists()


def test_article_bodies_keep_tables_and_drop_page_furniture(knowledge_base):
    hemifacial = Article.objects.get(slug="hemifacial-spasm-and-nutrition")
    for furniture in ("More>Health>Recovery", "Comments (0)", "Login is required"):
        assert furniture not in hemifacial.body
    assert hemifacial.body_html.count("<li>") == 4
    nutrients = Article.objects.get(slug="nutrients-and-nerves")
    assert nutrients.body_html.count("<table>") == 1
    assert nutrients.body_html.count("<tr>") == 5
    assert "Disclaimer: This article is for informational purposes only" in (
        nutrients.body_html
    )
    for article in Article.objects.all():
        assert "<h1" not in article.body_html
        assert article.title not in article.body.splitlines()[0]


def test_commonality_and_urgency_cells_become_sortable_grades(knowledge_base):
    _, header, rows = source_tables()[2]
    commonality_at = header.index("Commonality")
    urgency_at = header.index("Urgency to See Doctor")
    graded = Cause.objects.with_grades()
    for row in rows:
        for evidence in Evidence.objects.filter(aspect="name", value=row[0]):
            cause = graded.get(pk=evidence.cause_id)
            commonality = Cause.Commonality(cause.commonality).label
            assert commonality.lower() == row[commonality_at].lower()
            assert row[urgency_at].startswith(Cause.Urgency(cause.urgency).label)
            # The words stay whole; the grade is read from them.
            stated = Evidence.objects.get(
                cause=cause, aspect="urgency", article=evidence.article
            )
            assert stated.value == row[urgency_at]
    ordered = graded.filter(commonality__isnull=False).order_by("-commonality", "name")
    assert ordered.first().commonality == Cause.Commonality.VERY_COMMON
    assert ordered.last().slug == "neurological-conditions"

"""The comparison tables: filters, sorting, exports, bad input and query counts."""

import json
from http import HTTPStatus

import pytest

from knowledge.models import (
    NOT_STATED,
    Article,
)
from knowledge.tables.base import TableView
from tests.factories import (
    ArticleFactory,
    BodyAreaFactory,
    CauseFactory,
    EvidenceFactory,
    SymptomFactory,
    link_symptom,
    state,
)
from tests.knowledge.tables.pages import CAUSES, csv_rows, names

pytestmark = pytest.mark.django_db


def test_causes_table_lists_every_cause_by_name(client, twitch_causes):
    response = client.get(CAUSES)
    assert response.status_code == HTTPStatus.OK
    assert names(response) == [
        "Magnesium deficiency",
        "Medications",
        "Neurological conditions",
        "Stress",
    ]
    assert "4 causes" in response.text


def test_twitch_guide_matches_area_and_symptoms(client, twitch_causes):
    response = client.get(CAUSES, {"area": "eyelid", "symptom": "cramps"})
    assert names(response) == ["Magnesium deficiency"]
    assert "1 cause match your filters" in response.text
    assert "See a doctor" not in response.text


def test_several_symptoms_match_causes_with_any_of_them_once(client, twitch_causes):
    response = client.get(CAUSES, {"symptom": ["cramps", "tingling"]})
    assert names(response) == ["Magnesium deficiency", "Neurological conditions"]


def test_urgent_matching_cause_shows_a_see_a_doctor_notice(client, twitch_causes):
    response = client.get(CAUSES, {"area": "face"})
    assert names(response) == ["Neurological conditions"]
    assert "See a doctor" in response.text
    assert "Persistent, widespread spasms." in response.text


def test_an_urgent_match_on_a_later_page_is_still_announced(client):
    symptom = SymptomFactory()
    article = ArticleFactory()
    for cause in CauseFactory.create_batch(TableView.paginate_by):
        link_symptom(cause, symptom, article)
    late = CauseFactory(name="Zz urgent cause")
    state(late, "urgency", "High (requires medical evaluation)")
    state(late, "warning", "Go now.")
    link_symptom(late, symptom, article)
    response = client.get(CAUSES, {"symptom": symptom.slug})
    assert late.name not in names(response)
    assert "See a doctor" in response.text
    assert "Go now." in response.text


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"category": "nutrient_deficiency"}, ["Magnesium deficiency"]),
        ({"commonality": "4"}, ["Stress"]),
        ({"urgency": "3"}, ["Neurological conditions"]),
        ({"nutrient": "magnesium"}, ["Magnesium deficiency"]),
        ({"q": "hyperexcit"}, ["Magnesium deficiency"]),
    ],
)
def test_each_cause_filter_narrows_the_table(client, twitch_causes, params, expected):
    assert names(client.get(CAUSES, params)) == expected


def test_sorting_by_urgency_keeps_unstated_values_last(client, twitch_causes):
    descending = names(client.get(CAUSES, {"sort": "-urgency"}))
    assert descending[0] == "Neurological conditions"
    assert descending[-1] == "Medications"
    ascending = names(client.get(CAUSES, {"sort": "urgency"}))
    assert ascending[-1] == "Medications"
    by_commonality = names(client.get(CAUSES, {"sort": "-commonality"}))
    assert by_commonality == [
        "Stress",
        "Magnesium deficiency",
        "Neurological conditions",
        "Medications",
    ]


def test_sortable_headers_link_to_the_other_direction(client, twitch_causes):
    response = client.get(CAUSES, {"sort": "urgency", "area": "eyelid"})
    assert 'aria-sort="ascending"' in response.text
    assert "?sort=-urgency&amp;area=eyelid" in response.text


def test_cells_the_sources_do_not_state_say_so(client, twitch_causes):
    response = client.get(CAUSES, {"category": "medication"})
    assert response.text.count(NOT_STATED) >= 5


def test_empty_result_explains_itself(client, twitch_causes):
    response = client.get(CAUSES, {"area": "face", "symptom": "tingling", "q": "zzz"})
    assert response.status_code == HTTPStatus.OK
    assert "No causes match all of these filters" in response.text
    assert "Clear filters" in response.text


def test_cause_csv_export_has_exactly_the_filtered_rows(client, twitch_causes):
    response = client.get(CAUSES, {"area": "eyelid", "format": "csv"})
    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="causes.csv"' in response["Content-Disposition"]
    header, *rows = csv_rows(response)
    assert header[0] == "Cause"
    assert [row[0] for row in rows] == ["Magnesium deficiency", "Stress"]
    magnesium = dict(zip(header, rows[0], strict=True))
    assert magnesium["Symptoms"] == "Cramps"
    assert magnesium["Nutrient"] == "Magnesium"
    assert all(all(cell for cell in row) for row in rows)


def test_cause_json_export_gives_the_same_rows_as_objects(client, twitch_causes):
    response = client.get(CAUSES, {"symptom": ["cramps", "tingling"], "format": "json"})
    assert response["Content-Type"] == "application/json"
    records = json.loads(response.content)
    assert [r["Cause"] for r in records] == [
        "Magnesium deficiency",
        "Neurological conditions",
    ]
    neuro = records[1]
    assert neuro["Symptoms"] == "Cramps; Tingling"
    # The source's words, whole: the grade is for sorting and filtering only.
    assert neuro["Urgency"] == "High (requires medical evaluation)"
    assert neuro["Nutrient"] == "Not nutrient-related"


def test_sources_column_counts_documents_by_stance(client, twitch_causes):
    cause = twitch_causes["stress"]
    EvidenceFactory(cause=cause, stance="disputes")
    draft = ArticleFactory(status=Article.Status.DRAFT, published_at=None)
    EvidenceFactory(cause=cause, article=draft, stance="disputes")
    records = json.loads(client.get(CAUSES, {"format": "json", "q": "Stress"}).content)
    # Two published articles support (the body-area link, and the table of
    # grades), one disputes; the draft article's evidence is not counted.
    assert records[0]["Sources"] == "2 support, 1 dispute"


@pytest.mark.parametrize("count", [3, 300])
def test_causes_table_query_count_does_not_grow_with_rows(
    client, django_assert_num_queries, count
):
    area = BodyAreaFactory(slug="general")
    symptom = SymptomFactory()
    article = ArticleFactory()
    for cause in CauseFactory.create_batch(count):
        link_symptom(cause, symptom, article)
    # The matches' keys; the page's rows, symptoms, body areas, and what the
    # sources state of them; the form's choices.
    with django_assert_num_queries(8):
        response = client.get(CAUSES)
    assert len(response.context["rows"]) == min(count, TableView.paginate_by)
    assert response.context["total"] == count
    # Filtered, nothing matches: the chosen area and symptom are looked up, the
    # matches' keys fetched and the urgent ones listed; there is no page to fetch.
    with django_assert_num_queries(7):
        client.get(CAUSES, {"area": area.slug, "symptom": symptom.slug})
    # The export: the chosen symptom, the rows, their symptoms, body areas and
    # what the sources state of them.
    with django_assert_num_queries(5):
        client.get(CAUSES, {"symptom": symptom.slug, "format": "csv"})

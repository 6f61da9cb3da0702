"""The comparison tables: filters, sorting, exports, bad input and query counts."""

import json
import re
from http import HTTPStatus

import pytest
from django.utils import timezone

from knowledge.models import (
    NOT_STATED,
    Article,
)
from knowledge.tables import causes
from knowledge.tables.base import TableView
from knowledge.tables.causes import CAUSE_COLUMNS
from knowledge.tables.red_flags import OTHER_SYMPTOMS_LEGEND, RED_FLAGS_LEGEND
from tests.factories import (
    ArticleFactory,
    BodyAreaFactory,
    CauseFactory,
    EvidenceFactory,
    SymptomFactory,
    link_symptom,
    state,
)
from tests.knowledge.tables.pages import (
    CAUSES,
    chosen_sort,
    csv_rows,
    names,
    sort_menu,
)

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
    assert "1 cause matches your filters" in response.text
    assert "See a doctor" not in response.text


def test_several_symptoms_match_causes_with_any_of_them_once(client, twitch_causes):
    response = client.get(CAUSES, {"symptom": ["cramps", "tingling"]})
    assert names(response) == ["Magnesium deficiency", "Neurological conditions"]


def test_the_form_says_several_symptoms_find_causes_with_any_of_them(
    client, twitch_causes
):
    response = client.get(CAUSES, {"symptom": ["cramps", "tingling"]})
    assert (
        "The table shows the causes with at least one of the ticked symptoms."
        in response.text
    )
    # Magnesium deficiency comes with cramps, not tingling: "all" would drop it.
    assert names(response) == ["Magnesium deficiency", "Neurological conditions"]


def test_red_flag_symptoms_are_grouped_apart_from_the_rest(client, twitch_causes):
    SymptomFactory(name="Seizures", slug="seizures")
    form = client.get(CAUSES).content.decode()
    red_flags, others = re.findall(
        r'<fieldset class="(?:red-flag|other)-symptoms">(.*?)</fieldset>',
        form,
        re.DOTALL,
    )
    assert RED_FLAGS_LEGEND in red_flags
    assert '<a class="editorial-mark" href="/about/#editorial-policy"' in red_flags
    assert re.findall(r'value="([^"]+)"', red_flags) == ["seizures", "tingling"]
    assert OTHER_SYMPTOMS_LEGEND in others
    assert re.findall(r'value="([^"]+)"', others) == ["cramps"]
    # Both groups sit in the one field: ticking any of them filters the same way.
    assert form.count('name="symptom"') == 3


def test_urgency_comes_straight_after_the_cause(client, twitch_causes):
    response = client.get(CAUSES)
    labels = [header["label"] for header in response.context["headers"]]
    assert labels[:2] == ["Cause", "Urgency"]
    assert len(labels) == 10
    header = csv_rows(client.get(CAUSES, {"format": "csv"}))[0]
    assert header == [column.export_label for column in CAUSE_COLUMNS]
    assert header[:2] == ["Cause", "Urgency"]


def test_urgency_and_commonality_cells_hold_the_sources_words_whole(
    client, twitch_causes
):
    response = client.get(CAUSES, {"q": "Magnesium"})
    [row] = client.get(CAUSES, {"q": "Magnesium", "format": "json"}).json()
    assert row["Urgency"] == "Low (unless other severe symptoms)"
    assert row["Commonality"] == "Common"
    assert ">Low (unless other severe symptoms)</a>" in response.text


def test_every_cell_is_labelled_with_its_column(client, twitch_causes):
    response = client.get(CAUSES, {"q": "Stress"})
    labels = re.findall(r'<td data-label="([^"]+)">', response.text)
    assert labels == [column.export_label for column in CAUSE_COLUMNS[1:]]
    assert response.text.count('<th scope="row">') == 1


@pytest.mark.parametrize("sort", ["", "name", "-urgency"])
def test_the_sort_menu_lists_each_order_once_with_clear_labels(
    client, twitch_causes, sort
):
    response = client.get(CAUSES, {"sort": sort})
    assert response.status_code == HTTPStatus.OK
    assert sort_menu(response) == [
        ("", "Name, A to Z"),
        ("-name", "Name, Z to A"),
        ("commonality", "Commonality, rarest first"),
        ("-commonality", "Commonality, most common first"),
        ("urgency", "Urgency, least urgent first"),
        ("-urgency", "Urgency, most urgent first"),
    ]
    # Sorted by name, A to Z, the table's own order: no option is marked, so the
    # browser shows the first, which says so.
    assert chosen_sort(response) == (None if sort == "name" else sort)


def test_filters_and_sorting_send_the_reader_to_the_results(client, twitch_causes):
    response = client.get(CAUSES, {"area": "eyelid"})
    assert 'action="/causes/#results"' in response.text
    assert (
        '<section class="results" id="results" tabindex="-1"'
        ' aria-labelledby="result-count">'
    ) in response.text
    assert '<span id="result-count">2 causes match your filters</span>' in (
        response.text
    )
    assert 'href="?area=eyelid&amp;sort=name#results"' in response.text


def test_a_later_page_counts_its_rows_in_the_right_number(client):
    CauseFactory.create_batch(TableView.paginate_by + 1)
    response = client.get(CAUSES, {"page": "2"})
    assert "26 causes, 26 to 26 shown" in response.text
    assert "The chart shows the 1 cause on this page of the table." in response.text
    assert "Download all 26 rows:" in response.text


def test_one_row_is_downloaded_as_this_row(client, twitch_causes):
    response = client.get(CAUSES, {"q": "Stress"})
    assert "1 cause matches your filters" in response.text
    assert "Download this row:" in response.text


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


def test_many_urgent_matches_are_named_the_first_few_and_counted(client, monkeypatch):
    monkeypatch.setattr(causes, "URGENT_SHOWN", 2)
    symptom = SymptomFactory(slug="tingling")
    article = ArticleFactory()
    for name in ("Bb urgent", "Aa urgent", "Cc urgent"):
        cause = CauseFactory(name=name)
        state(cause, "urgency", "High (requires medical evaluation)")
        link_symptom(cause, symptom, article)
    link_symptom(CauseFactory(name="Not urgent"), symptom, article)
    response = client.get(CAUSES, {"symptom": "tingling", "page": "1"})
    notice = " ".join(response.text.split('class="care-card-body"')[1].split())
    notice = notice.split("</div>")[0]
    assert "match 3 causes our sources rate as urgent. The first 2, by name:" in notice
    assert "Aa urgent" in notice and "Bb urgent" in notice
    assert "Cc urgent" not in notice
    # The link to them all keeps the filters, drops the page, adds the urgency.
    assert 'href="/causes/?symptom=tingling&amp;urgency=3"' in notice
    assert "Show all 3 urgent causes in the table" in notice
    urgent = client.get(CAUSES, {"symptom": "tingling", "urgency": "3"})
    assert names(urgent) == ["Aa urgent", "Bb urgent", "Cc urgent"]
    # The table sorted Z to A, the notice still names the first by name.
    reversed_table = client.get(CAUSES, {"symptom": "tingling", "sort": "-name"})
    assert reversed_table.context["urgent"] == response.context["urgent"]


def test_only_a_live_source_rating_makes_a_match_urgent(client, settings):
    settings.PAGE_CACHE_SECONDS = 0
    symptom = SymptomFactory(slug="tingling")
    cause = CauseFactory(name="Rated by a draft")
    link_symptom(cause, symptom)
    draft = ArticleFactory(status=Article.Status.DRAFT, published_at=None)
    state(cause, "urgency", "High (requires medical evaluation)", article=draft)
    assert "See a doctor" not in client.get(CAUSES, {"symptom": "tingling"}).text
    # Published, the draft becomes a live source: the sources that rate urgency
    # high, kept for the content version, are found again.
    draft.status, draft.published_at = Article.Status.PUBLISHED, timezone.now()
    draft.take_live_copy()
    draft.save()
    assert "See a doctor" in client.get(CAUSES, {"symptom": "tingling"}).text


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
    assert records[0]["Sources"] == "2 support, 1 disputes"


@pytest.mark.parametrize("count", [3, 300])
def test_causes_table_query_count_does_not_grow_with_rows(
    client, django_assert_num_queries, settings, count
):
    settings.PAGE_CACHE_SECONDS = 0  # each request renders its page
    area = BodyAreaFactory(slug="general")
    symptom = SymptomFactory()
    article = ArticleFactory()
    for cause in CauseFactory.create_batch(count):
        link_symptom(cause, symptom, article)
    # The matches counted, and the page's keys; the page's rows, symptoms, body
    # areas, and what the sources state of them; the form's choices.
    with django_assert_num_queries(9):
        response = client.get(CAUSES)
    assert len(response.context["rows"]) == min(count, TableView.paginate_by)
    assert response.context["total"] == count
    # Shown again before the content changes, the count of matches, the rows,
    # the chart, the form's fields and its first options are kept: only the
    # page's keys are read.
    with django_assert_num_queries(1):
        again = client.get(CAUSES)
    assert again.content == response.content
    # Filtered, nothing matches: the chosen area and symptom are looked up, the
    # matches counted and their keys fetched, the sources that rate urgency high
    # found (once for the content version), the urgent ones listed, the form's
    # fields for these values rendered (areas, symptoms); no page to fetch.
    with django_assert_num_queries(7):
        client.get(CAUSES, {"area": area.slug, "symptom": symptom.slug})
    # Again, in another order: the count and the urgent matches are kept for
    # these filters; the chosen area and symptom are looked up, and the form,
    # whose sort menu has another value, lists the areas and symptoms.
    with django_assert_num_queries(4):
        client.get(
            CAUSES, {"area": area.slug, "symptom": symptom.slug, "sort": "-name"}
        )
    # The export: the chosen symptom, the rows, their symptoms, body areas and
    # what the sources state of them.
    with django_assert_num_queries(5):
        client.get(CAUSES, {"symptom": symptom.slug, "format": "csv"})


def test_kept_counts_follow_the_content(client, settings, monkeypatch):
    settings.PAGE_CACHE_SECONDS = 0
    monkeypatch.setattr(causes, "URGENT_SHOWN", 1)
    symptom = SymptomFactory(slug="tingling")
    for name in ("Aa urgent", "Bb urgent"):
        cause = CauseFactory(name=name)
        state(cause, "urgency", "High (requires medical evaluation)")
        link_symptom(cause, symptom)
    link_symptom(CauseFactory(name="Not urgent"), symptom)
    first = client.get(CAUSES, {"symptom": "tingling"})
    assert (first.context["total"], first.context["urgent_total"]) == (3, 2)
    # Another combination of filters is counted apart; the sort does not matter.
    assert client.get(CAUSES, {"symptom": "tingling", "q": "Aa"}).context["total"] == 1
    assert (
        client.get(CAUSES, {"symptom": "tingling", "sort": "-name"}).context["total"]
        == 3
    )
    # A new urgent match raises the content version: both are counted again.
    late = CauseFactory(name="Cc urgent")
    state(late, "urgency", "High (requires medical evaluation)")
    link_symptom(late, symptom)
    again = client.get(CAUSES, {"symptom": "tingling"})
    assert (again.context["total"], again.context["urgent_total"]) == (4, 3)

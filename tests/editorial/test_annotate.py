"""Annotating a document: from a passage to a proposed fact, on one screen."""

import html
import re
from http import HTTPStatus

import pytest
from django.urls import reverse
from django.utils.html import escape

from editorial.models import Proposal
from knowledge.models import (
    Cause,
    Evidence,
    FoodSource,
    Nutrient,
    NutrientFood,
    SourceDocument,
)

pytestmark = pytest.mark.django_db

ANNOTATE = reverse("admin:editorial_proposal_annotate")


@pytest.fixture
def document(knowledge_base):
    return SourceDocument.objects.get(key="003_aa20c54c79f17f9d")


def annotate(client, document, **fields):
    data = {"stance": "supports", "aspect": "link", **fields}
    return client.post(f"{ANNOTATE}?document={document.pk}", data)


def changes(author):
    proposal = Proposal.objects.get(author__username=author)
    return [
        (c.action, c.content_type.model, c.data)
        for c in proposal.changes.select_related("content_type").order_by("pk")
    ]


def test_finding_words_shows_where_they_stand(author_client, document):
    page = author_client.get(ANNOTATE, {"document": document.pk, "find": "focus on"})
    assert page.status_code == HTTPStatus.OK
    assert "<mark>focus on</mark> rest)" in page.text
    # A quote is whole sentences (here a table cell); the words can be its value.
    assert "Quote its sentence, with these words as the value" in page.text
    assert "passage=Low%20%28focus%20on%20rest%29&amp;value=focus%20on" in page.text


def test_a_fragment_is_refused_with_its_whole_sentence(author_client, document):
    response = annotate(
        author_client,
        document,
        passage="can flood the body with hormones",
        subject="cause",
        cause=Cause.objects.get(slug="stress-and-anxiety").pk,
        aspect="mechanism",
    )
    assert response.status_code == HTTPStatus.OK
    text = html.unescape(response.text)
    assert "Quote whole sentences" in text
    assert (
        "Stress and Anxiety: High stress levels can flood the body with hormones "
        "that affect the nervous system, leading to muscle tension and involuntary "
        "movements."
    ) in text
    assert not Proposal.objects.exists()


def test_a_new_cause_with_its_urgency_is_one_annotation(author_client, document):
    response = annotate(
        author_client,
        document,
        passage="Low (focus on rest)",
        subject="new",
        new_cause_name="Night owls",
        new_cause_category="lifestyle",
        aspect="urgency",
    )
    assert response.status_code == HTTPStatus.FOUND, response.text[:2000]
    (cause, quote) = changes("author")
    assert cause[:2] == ("create", "cause") and cause[2]["name"] == "Night owls"
    assert quote[:2] == ("create", "evidence")
    assert quote[2]["cause"].startswith("new:")
    assert quote[2]["article"] == document.article.pk
    assert not Cause.objects.filter(name="Night owls").exists()


def test_a_food_for_a_nutrient_comes_with_its_quote(author_client, document):
    magnesium = Nutrient.objects.get(slug="magnesium")
    pairings_before = NutrientFood.objects.count()
    response = annotate(
        author_client,
        document,
        passage=(
            "Sources: Leafy green vegetables, nuts, seeds, and whole grains are "
            "excellent sources of dietary magnesium."
        ),
        subject="nutrient",
        nutrient=magnesium.pk,
        aspect="food_sources",
        new_food_name="Whole grain bread",
        new_food_category="grains",
        new_food_diet="vegan",
        food_words="whole grains",
    )
    assert response.status_code == HTTPStatus.FOUND, response.text[:2000]
    kinds = [(action, model) for action, model, _ in changes("author")]
    assert kinds == [
        ("create", "evidence"),
        ("create", "foodsource"),
        ("create", "nutrientfood"),
    ]
    pairing = changes("author")[2][2]
    assert pairing["nutrient"] == magnesium.pk
    assert pairing["stated_as"] == "whole grains"
    assert not FoodSource.objects.filter(name="Whole grain bread").exists()
    assert NutrientFood.objects.count() == pairings_before


def test_a_made_up_passage_is_refused_with_the_closest_match(author_client, document):
    cause = Cause.objects.get(slug="neurological-conditions")
    response = annotate(
        author_client,
        document,
        passage="Low potassium is the leading cause of ALS in adults.",
        subject="cause",
        cause=cause.pk,
    )
    assert response.status_code == HTTPStatus.OK
    assert "does not occur in the document, word for word" in response.text
    near = annotate(
        author_client,
        document,
        passage="High (requires a medical evaluation)",
        subject="cause",
        cause=cause.pk,
        aspect="urgency",
    )
    assert "High (requires medical evaluation)" in near.text
    assert not Proposal.objects.exists() or not changes("author")


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"subject": "nutrient", "aspect": "symptoms"}, "of a cause"),
        ({"subject": "cause", "aspect": "symptoms"}, "Tick the symptoms"),
        ({"subject": "cause", "aspect": "food_sources"}, "of a nutrient"),
        ({"subject": "new", "aspect": "link"}, "Name the new cause"),
        ({"subject": "cause", "aspect": "urgency"}, "must open with one of"),
        ({"subject": "cause", "value": "not in it"}, "words of the passage"),
    ],
)
def test_an_incomplete_annotation_says_what_is_missing(
    author_client, document, fields, message
):
    cause = Cause.objects.get(slug="neurological-conditions")
    nutrient = Nutrient.objects.get(slug="magnesium")
    response = annotate(
        author_client,
        document,
        passage="Impacts nerve pathways",
        cause=cause.pk,
        nutrient=nutrient.pk,
        **fields,
    )
    assert response.status_code == HTTPStatus.OK
    assert message in response.text


def test_readers_and_reviewers_cannot_annotate(client, make_user, document):
    client.force_login(make_user("reviewer", "Medical reviewers"))
    assert client.get(ANNOTATE).status_code == HTTPStatus.FORBIDDEN


def test_the_document_text_marks_what_is_already_quoted(author_client, document):
    page = author_client.get(ANNOTATE, {"document": document.pk})
    marks = re.findall(r"<mark>(.*?)</mark>", page.text, re.DOTALL)
    quotes = Evidence.objects.filter(article__source=document)
    assert quotes.count() > 10
    for quote in quotes:
        assert any(escape(quote.passage) in mark for mark in marks), quote.passage

"""The knowledge base in the admin: source documents, evidence and entities."""

import hashlib
from http import HTTPStatus

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from knowledge.models import Article, Cause, Evidence, SourceDocument

pytestmark = pytest.mark.django_db


def test_admin_lists_each_model(admin_client, knowledge_base):
    for model in ("article", "nutrient", "cause", "foodsource", "evidence"):
        response = admin_client.get(reverse(f"admin:knowledge_{model}_changelist"))
        assert response.status_code == HTTPStatus.OK, model
    evidence = Evidence.objects.filter(cause__isnull=False).first()
    response = admin_client.get(
        reverse("admin:knowledge_cause_change", args=[evidence.cause_id])
    )
    assert response.status_code == HTTPStatus.OK


# -- source documents ----------------------------------------------------------------

ADD_DOCUMENT = reverse("admin:knowledge_sourcedocument_add")
FIFTH = (
    "Twitching and Potassium\r\n"
    "Low potassium can make muscles twitch.\r\n"
    "If the twitching is persistent, see a doctor.\r\n"
)


def document_form(**fields) -> dict:
    return {
        "text": FIFTH,
        "format": "text",
        "title": "Twitching and Potassium",
        "editorial_title": "",
        "author": "",
        "published_on": "",
        "url": "",
        "title_is_first_line": "on",
        "left_out": "",
        "subheadings": "",
        **fields,
    }


def test_an_author_adds_a_document_by_pasting_it(author_client):
    response = author_client.post(ADD_DOCUMENT, document_form())
    assert response.status_code == HTTPStatus.FOUND, response.text[:3000]
    document = SourceDocument.objects.get()
    text = FIFTH.replace("\r\n", "\n")
    assert document.text == text
    assert document.sha256 == hashlib.sha256(text.encode()).hexdigest()
    assert document.key.startswith("000_") and document.filename.endswith(".txt")
    assert document.author == "" and document.published_on is None
    article = document.article
    assert article.status == Article.Status.DRAFT
    assert article.title == "Twitching and Potassium"
    assert "Low potassium can make muscles twitch." in article.body
    assert "Twitching and Potassium" not in article.body  # the title is the page's
    # Neither is public before review.
    assert not Article.objects.published().exists()
    about = author_client.get(reverse("knowledge:about")).text
    assert "Twitching and Potassium" not in about


def test_an_author_uploads_a_document(author_client):
    upload = SimpleUploadedFile("potassium.md", FIFTH.encode(), "text/markdown")
    response = author_client.post(
        ADD_DOCUMENT, document_form(text="", upload=upload, format="markdown")
    )
    assert response.status_code == HTTPStatus.FOUND, response.text[:3000]
    document = SourceDocument.objects.get()
    assert document.format == "markdown" and document.filename.endswith(".md")
    assert document.article.body.startswith("Low potassium")


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"text": ""}, "Upload the document"),
        ({"text": "   \r\n  "}, "Upload the document"),
        ({"title": "", "editorial_title": "", "title_is_first_line": ""}, "title"),
        ({"title": ""}, "The first line is the title"),
        ({"title": "Another title"}, "does not fit"),
        ({"editorial_title": "Ours too"}, "use that one"),
        ({"url": "not a url at all"}, "Enter a valid URL"),
        ({"published_on": "2026-13-45"}, "Enter a valid date"),
        ({"text": "x\x00y", "title_is_first_line": ""}, "Null characters"),
        ({"title": "t" * 300, "title_is_first_line": ""}, "at most 200"),
    ],
)
def test_bad_documents_are_refused_with_a_message(author_client, fields, message):
    response = author_client.post(ADD_DOCUMENT, document_form(**fields))
    assert response.status_code == HTTPStatus.OK
    assert message in response.text
    assert not SourceDocument.objects.exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\xff\xfe\x00binary", "not UTF-8 text"),
        (b"x" * 1_000_001, "larger than 1 MB"),
    ],
)
def test_bad_uploads_are_refused_with_a_message(author_client, content, message):
    upload = SimpleUploadedFile("doc.txt", content, "text/plain")
    response = author_client.post(ADD_DOCUMENT, document_form(text="", upload=upload))
    assert response.status_code == HTTPStatus.OK
    assert message in response.text


def test_a_document_upload_and_paste_together_are_refused(author_client):
    upload = SimpleUploadedFile("doc.txt", FIFTH.encode(), "text/plain")
    response = author_client.post(ADD_DOCUMENT, document_form(upload=upload))
    assert "not both" in response.text


def test_a_cited_documents_text_cannot_change(author_client, knowledge_base):
    document = SourceDocument.objects.get(key="000_2084b6e303462f44")
    assert document.is_cited()
    url = reverse("admin:knowledge_sourcedocument_change", args=[document.pk])
    page = author_client.get(url)
    assert page.status_code == HTTPStatus.OK
    assert 'name="text"' not in page.text  # shown, not editable
    before = document.text
    author_client.post(url, {"text": "Something else entirely."})
    document.refresh_from_db()
    assert document.text == before
    # Nor can any other path change it.
    document.text += " An addition."
    with pytest.raises(ValidationError, match="new document"):
        document.full_clean()


# -- evidence ------------------------------------------------------------------------


def test_a_made_up_passage_is_refused_on_save(admin_client, knowledge_base):
    cause = Cause.objects.get(slug="neurological-conditions")
    article = Article.objects.get(slug="causes-of-muscle-twitches")
    response = admin_client.post(
        reverse("admin:knowledge_evidence_add"),
        {
            "article": article.pk,
            "cause": cause.pk,
            "aspect": "link",
            "stance": "supports",
            "value": "",
            "passage": "Low potassium is the leading cause of ALS in adults.",
            "locator": "",
            "position": 0,
        },
    )
    assert response.status_code == HTTPStatus.OK
    assert "does not occur in the document, word for word" in response.text
    assert not Evidence.objects.filter(passage__contains="potassium").exists()
    near_miss = admin_client.post(
        reverse("admin:knowledge_evidence_add"),
        {
            "article": article.pk,
            "cause": cause.pk,
            "aspect": "urgency",
            "stance": "supports",
            "value": "",
            "passage": "High (requires a medical evaluation)",
            "locator": "",
            "position": 0,
        },
    )
    assert "High (requires medical evaluation)" in near_miss.text  # the closest text


def test_a_causes_page_lists_what_the_sources_say_of_it(author_client, knowledge_base):
    cause = Cause.objects.get(slug="stress-and-anxiety")
    page = author_client.get(reverse("admin:knowledge_cause_change", args=[cause.pk]))
    assert page.status_code == HTTPStatus.OK
    assert "What the sources say of it" in page.text
    for quote in cause.evidence.all():
        url = reverse("admin:knowledge_evidence_change", args=[quote.pk])
        assert f'href="{url}"' in page.text
    add = reverse("admin:knowledge_evidence_add")
    assert f"{add}?cause={cause.pk}" in page.text


@pytest.mark.parametrize(
    "model",
    [
        "knowledge.nutrientfood",
        "knowledge.causesymptom",
        "knowledge.causebodyarea",
        "knowledge.symptom",
        "knowledge.bodyarea",
        "search.synonym",
    ],
)
def test_every_facts_history_page_opens(author_client, knowledge_base, model):
    """Each fact's admin offers its history: every fact keeps one."""
    app_label, name = model.split(".")
    fact = apps.get_model(app_label, name).objects.order_by("pk").first()
    url = reverse(f"admin:{app_label}_{name}_history", args=[fact.pk])
    assert author_client.get(url).status_code == HTTPStatus.OK

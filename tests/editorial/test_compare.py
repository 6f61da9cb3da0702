"""Compare versions: each saved version against the one before it, and the working
version against what readers see."""

from http import HTTPStatus

import pytest
from django.urls import reverse

from editorial.services import article_transition
from knowledge.models import Article
from tests.editorial.admin.pages import change_form, change_url
from tests.factories import CauseFactory

pytestmark = pytest.mark.django_db

CLAIM = "Magnesium cures every twitch within a day."


def compare(client, article: Article):
    return client.get(reverse("admin:knowledge_article_compare", args=[article.pk]))


def test_an_edit_to_a_loaded_article_shows_against_its_loaded_text(
    author_client, knowledge_base
):
    article = Article.objects.get(slug="nutrients-and-nerves")
    author_client.post(
        change_url(article), change_form(article, body=f"{article.body}\n\n{CLAIM}")
    )
    response = compare(author_client, article)
    edit, loaded = response.context["versions"]
    [change] = edit["changes"]
    assert change["field"] == "body" and ("+", CLAIM) in change["lines"]
    assert loaded["record"].history_change_reason == "Loaded from the source document"
    assert f"<ins>+ {CLAIM}</ins>" in response.text
    assert "No change to the text" not in response.text


def test_a_loaded_article_can_be_restored_to_its_loaded_text(
    author_client, knowledge_base
):
    article = Article.objects.get(slug="nutrients-and-nerves")
    loaded_text = article.body
    author_client.post(
        change_url(article), change_form(article, body=f"{article.body}\n\n{CLAIM}")
    )
    article.refresh_from_db()
    loaded = article.history.earliest("history_date")
    url = reverse(
        "admin:knowledge_article_simple_history", args=[article.pk, loaded.history_id]
    )
    response = author_client.post(url, change_form(article, body=loaded.body))
    assert response.status_code == HTTPStatus.FOUND
    article.refresh_from_db()
    assert article.body.strip() == loaded_text.strip()
    assert CLAIM not in article.body


def test_compare_shows_the_working_version_against_what_readers_see(
    client, draft, author, reviewer, publisher
):
    draft.body = "Line one.\nLine two."
    draft.save()
    draft.causes.add(CauseFactory(name="Low magnesium"))
    for user, action in [
        (author, "submit"),
        (reviewer, "approve"),
        (publisher, "publish"),
    ]:
        article_transition(article=draft, user=user, action=action)
    draft.refresh_from_db()
    client.force_login(author)
    response = compare(client, draft)
    assert response.context["live_changes"] == []
    assert "The working version is the one readers see." in response.text
    old_slug = draft.slug
    client.post(
        change_url(draft),
        change_form(draft, body="Line one.\nLine 2.", causes=[], slug="renamed"),
    )
    response = compare(client, draft)
    changes = {c["field"]: c["lines"] for c in response.context["live_changes"]}
    assert changes == {
        "Address (slug)": [("-", old_slug), ("+", "renamed")],
        "Body": [(" ", "Line one."), ("-", "Line two."), ("+", "Line 2.")],
        "Causes": [("-", "Low magnesium")],
    }
    assert "<del>- Low magnesium</del>" in response.text


def test_compare_says_when_readers_see_no_version(client, draft, author):
    client.force_login(author)
    response = compare(client, draft)
    assert "Readers see no version of this article: it is not published." in (
        response.text
    )

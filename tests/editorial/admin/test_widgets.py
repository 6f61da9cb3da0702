"""The article body's editor: the image control and the content checks beside it."""

import re
from http import HTTPStatus

import pytest

from editorial.admin.widgets import ArticleBodyEditor
from editorial.uploads import MAX_ALT_CHARS
from tests.editorial.admin.pages import change_url

pytestmark = pytest.mark.django_db


def test_the_change_page_has_the_image_control_and_the_checks(author_client, draft):
    draft.body = "## Causes\n\n#### Stress\n\nText."
    draft.save()
    response = author_client.get(change_url(draft))
    assert response.status_code == HTTPStatus.OK
    page = response.text
    # django-markdownx finds its editor and preview inside the .markdownx element.
    editor = page.split('<div class="markdownx article-body-editor">')[1]
    assert '<textarea name="body"' in editor.split('<div class="markdownx-preview">')[0]
    # Shown by the script, which alone can use it.
    assert '<fieldset class="insert-image" hidden>' in editor
    assert '<label for="id_body-alt">Alt text (required)' in editor
    assert f'maxlength="{MAX_ALT_CHARS}" aria-required="true"' in editor
    assert "Before you send this for review" in editor
    assert "The heading “Stress” skips a level" in editor
    assert 'data-checks-url="/markdownx/checks/"' in editor
    assert "/static/editorial/article_body.js" in page


def test_the_image_control_posts_nothing_with_the_change_form(author_client, draft):
    page = author_client.get(change_url(draft)).text
    control = page.split('<fieldset class="insert-image"')[1].split("</fieldset>")[0]
    assert re.findall(r"<(?:input|button)[^>]*>", control)
    assert "name=" not in control


def test_the_checks_are_of_the_text_in_the_editor():
    html = ArticleBodyEditor().render("body", "### Stress", {"id": "id_body"})
    assert "The heading “Stress” skips a level" in html
    html = ArticleBodyEditor().render("body", "## Stress\n\nText.", {"id": "id_body"})
    assert "No problems found." in html

"""An author at the article editor: inserting an image with its alt text, from the
keyboard or by dropping a file, and the content checks beside the editor and on the
preview."""

import base64
import io
import re

import pytest
from PIL import Image
from playwright.sync_api import Page, expect

from knowledge.models import Article

from .editors import change_url, save_and_continue

BODY = "## Causes\n\nStress and caffeine can make a muscle twitch."
ALT = "A thumb resting on a desk, its muscle twitching"
INSERTED = re.compile(
    r"!\[A thumb resting on a desk, its muscle twitching\]"
    r"\(/media/markdownx/[0-9a-f]{32}\.png\)"
)
AT_THE_END = re.escape(BODY) + r"\n\n" + INSERTED.pattern


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def png(tmp_path):
    path = tmp_path / "thumb.png"
    Image.new("RGB", (16, 12), "teal").save(path)
    return path


@pytest.fixture
def draft(make_user) -> Article:
    make_user("author", "Authors")
    return Article.objects.create(title="Thumb twitches", slug="thumb", body=BODY)


def open_editor(page: Page, article: Article):
    """The article's change page, once django-markdownx has shown its preview."""
    page.goto(change_url(article.pk))
    expect(page.locator(".markdownx-preview")).to_contain_text("Stress and caffeine")
    return page.locator("textarea.markdownx-editor")


def test_an_author_inserts_an_image_from_the_keyboard_and_sees_the_checks(
    browse, draft, png
):
    page = browse("author")
    editor = open_editor(page, draft)
    editor.focus()
    editor.press("Control+End")
    editor.press("Enter")
    editor.press("Enter")

    # Back from the text to the image control above it: Tab indents in the text,
    # so Escape first.
    page.keyboard.press("Escape")
    for _ in range(3):
        page.keyboard.press("Shift+Tab")
    file_input = page.get_by_label("Image file")
    expect(file_input).to_be_focused()
    # The file itself is picked in the system's file dialog, outside the page.
    file_input.set_input_files(png)
    expect(file_input).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_label("Alt text (required)")).to_be_focused()
    page.keyboard.type(ALT)
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Insert image")).to_be_focused()
    page.keyboard.press("Enter")

    expect(editor).to_have_value(re.compile(AT_THE_END))
    expect(editor).to_be_focused()
    expect(page.get_by_role("status")).to_have_text(
        "The image is in the text, with its alt text."
    )
    expect(page.locator(".markdownx-preview img")).to_have_attribute("alt", ALT)

    checks = page.locator(".content-checks")
    expect(checks).to_contain_text("Before you send this for review")
    expect(checks).to_contain_text("No problems found.")
    # The cursor is after the image: the author writes on.
    page.keyboard.type("\n\n#### Magnesium\n\nLow magnesium is rare.")
    expect(checks).to_contain_text(
        "The heading “Magnesium” skips a level: it is level 4 (####) right after "
        "a level-2 heading (##)."
    )
    expect(checks).not_to_contain_text("alt text")

    save_and_continue(page)
    draft.refresh_from_db()
    assert INSERTED.search(draft.body)
    page.goto(f"/preview/articles/{draft.pk}/")
    banner = page.locator(".preview-banner")
    expect(banner).to_contain_text("Before you send this for review")
    expect(banner).to_contain_text("The heading “Magnesium” skips a level")
    expect(page.locator(".article-body img")).to_have_attribute("alt", ALT)


def test_an_image_needs_its_alt_text_before_it_goes_in(browse, draft, png, media_root):
    page = browse("author")
    editor = open_editor(page, draft)
    page.get_by_label("Image file").set_input_files(png)
    alt = page.get_by_label("Alt text (required)")
    alt.focus()
    # Enter in the control inserts the image; it never submits the change form.
    alt.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("Write the alt text first")
    expect(alt).to_be_focused()
    expect(alt).to_have_attribute("aria-invalid", "true")
    expect(editor).to_have_value(BODY)
    assert page.url.endswith(change_url(draft.pk))
    assert not list(media_root.rglob("*.png"))

    alt.fill(ALT)
    expect(alt).not_to_have_attribute("aria-invalid", "true")
    alt.press("Enter")
    # The cursor was never put in the text: the image goes at its end.
    expect(editor).to_have_value(re.compile(AT_THE_END))


def test_a_dropped_image_waits_for_its_alt_text(browse, draft, png):
    page = browse("author")
    editor = open_editor(page, draft)
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "navy").save(buffer, "PNG")
    page.locator(".markdownx").evaluate(
        """(root, data) => {
          const bytes = Uint8Array.from(atob(data), c => c.charCodeAt(0));
          const transfer = new DataTransfer();
          transfer.items.add(new File([bytes], "dropped.png", {type: "image/png"}));
          const editor = root.querySelector("textarea");
          editor.dispatchEvent(new DragEvent("drop",
            {dataTransfer: transfer, bubbles: true, cancelable: true}));
        }""",
        base64.b64encode(buffer.getvalue()).decode(),
    )
    alt = page.get_by_label("Alt text (required)")
    expect(alt).to_be_focused()
    expect(page.get_by_role("status")).to_have_text(
        "“dropped.png” is ready: write its alt text, then press Insert image."
    )
    # django-markdownx did not upload it without alt text.
    expect(editor).to_have_value(BODY)
    assert page.get_by_label("Image file").evaluate("input => input.files[0].name") == (
        "dropped.png"
    )

    alt.fill(ALT)
    page.get_by_role("button", name="Insert image").click()
    expect(editor).to_have_value(re.compile(INSERTED.pattern))

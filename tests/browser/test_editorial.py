"""What the editors do in a real browser: the admin editor, its live preview, and
an article's whole way from an author's draft to the public page, through medical
review and publication, and again for an edit of the live article.
"""

import re
from pathlib import Path

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page, expect

from editorial.models import ReviewerProfile
from knowledge.models import Article

from .editors import (
    change_url,
    expect_message,
    press,
    save_and_continue,
    status_of,
    workflow_buttons,
)
from .test_layout import LAYOUT_JS, WIDTHS, layout_problems

XSS_DIR = Path(__file__).resolve().parent.parent / "data" / "xss"
CORPUS_FILES = sorted(
    path for path in XSS_DIR.iterdir() if path.suffix in {".txt", ".svg", ".svgz"}
)
MIN_PAYLOADS = 1440
START = "Start of the corpus."
END = "End of the corpus"

# Runs in every frame before any of the page's scripts: whatever a payload calls
# to prove it ran is recorded instead of shown (in the top window where it can
# reach it). Each preview django-markdownx renders is counted.
DETECTOR_JS = """
(() => {
  const record = name => function (...args) {
    const entry = `${name}(${args.map(String).join(", ")}) in ${location.href}`;
    let sink = window;
    try { if (Array.isArray(window.top.__xss)) sink = window.top; } catch (e) {}
    (sink.__xss = sink.__xss || []).push(entry);
  };
  window.__xss = [];
  window.__previews = 0;
  for (const name of ["alert", "confirm", "prompt", "print"]) {
    window[name] = record(name);
  }
  // markdownx.update does not bubble: listen in the capture phase.
  document.addEventListener("markdownx.update", () => { window.__previews += 1; },
    true);
})();
"""

# What in the rendered preview could run a script, or load something that does.
PREVIEW_PROBLEMS_JS = """
preview => {
  const forbidden = new Set(["SCRIPT", "IFRAME", "FRAME", "OBJECT", "EMBED", "SVG",
    "MATH", "STYLE", "FORM", "BASE", "META", "LINK", "TEMPLATE"]);
  const problems = [];
  for (const element of preview.querySelectorAll("*")) {
    const tag = element.tagName.toUpperCase();
    if (forbidden.has(tag)) problems.push(`<${tag.toLowerCase()}>`);
    for (const {name, value} of element.attributes) {
      const squeezed = value.replace(/[\\x00-\\x20]/g, "").toLowerCase();
      if (name.toLowerCase().startsWith("on") || name === "style"
          || name === "srcdoc" || name === "formaction"
          || /^(javascript|vbscript|data):/.test(squeezed)) {
        problems.push(`<${tag.toLowerCase()} ${name}=${JSON.stringify(value)}>`);
      }
    }
  }
  if (/<script/i.test(preview.innerHTML)) problems.push("<script in the HTML");
  return problems;
}
"""


# The admin editor runs no script, whatever the body.


def load_payloads(path: Path) -> list[str]:
    """Unique non-empty lines of a .txt list; the whole text of an SVG file."""
    text = path.read_bytes().decode("utf-8")  # the corpus's xss.svgz is not gzipped
    if path.suffix == ".txt":
        return list(dict.fromkeys(line for line in text.splitlines() if line.strip()))
    return [text]


def corpus_body(payloads: list[str]) -> str:
    """Payloads as the paragraphs of one body, between two markers."""
    return "\n\n".join([START, *payloads, END])


def watch_dialogs(page: Page) -> list[str]:
    """The dialogs the page opens from now on, dismissed."""
    dialogs: list[str] = []

    def on_dialog(dialog) -> None:
        dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    page.on("dialog", on_dialog)
    return dialogs


def open_editor(page: Page, article_pk: int) -> None:
    """Open an article's change page; wait for the preview, type, wait again."""
    page.goto(change_url(article_pk))
    preview = page.locator(".markdownx-preview")
    # django-markdownx renders the preview once when it starts...
    # Functions, not expressions: a string expression is eval'd in the page, which
    # the site's Content-Security-Policy forbids.
    page.wait_for_function("() => window.__previews >= 1")
    expect(preview).to_contain_text(START)
    expect(preview).to_contain_text(END)

    # ...and again, a moment after each change of the text.
    editor = page.locator("textarea.markdownx-editor")
    editor.focus()
    editor.press("Control+End")
    editor.press_sequentially(".")
    expect(preview).to_contain_text(f"{END}.")
    # Let the images the new HTML holds load, or fail, and their handlers run.
    page.wait_for_function(
        "() => [...document.querySelectorAll('.markdownx-preview img')]"
        ".every(image => image.complete)"
    )
    page.wait_for_timeout(200)


def scripts_run(page: Page) -> list[str]:
    calls = []
    for frame in page.frames:
        try:
            calls += frame.evaluate("window.__xss || []")
        except PlaywrightError as error:  # a frame that went away meanwhile
            calls.append(f"could not read {frame.url}: {error}")
    return calls


def test_admin_editor_runs_no_script_whatever_the_body(make_user, browse, csp_watch):
    author = make_user("author", "Authors")
    corpus = {path.name: load_payloads(path) for path in CORPUS_FILES}
    # 1,446 unique payloads at the time of writing, in 19 files.
    assert sum(map(len, corpus.values())) >= MIN_PAYLOADS
    articles = {
        name: Article.objects.create(
            title=f"Payloads from {name}",
            slug=f"payloads-{index}",
            body=corpus_body(payloads),
        )
        for index, (name, payloads) in enumerate(corpus.items())
    }
    page = browse(author.username)
    page.add_init_script(DETECTOR_JS)
    dialogs = watch_dialogs(page)

    findings = {}
    for name, article in articles.items():
        dialogs.clear()
        open_editor(page, article.pk)
        still_here = page.url.endswith(change_url(article.pk))
        problems = {
            "ran": scripts_run(page),
            "dialogs": list(dialogs),
            "in the preview": page.locator(".markdownx-preview").evaluate(
                PREVIEW_PROBLEMS_JS
            ),
            "navigated to": [] if still_here else [page.url],
        }
        if any(problems.values()):
            findings[name] = problems
    assert findings == {}

    # The detector sees what runs: a call from the page is recorded. A handler in
    # HTML put into the preview the way django-markdownx puts its response there
    # is flagged by the DOM check, and does not run: the Content-Security-Policy
    # refuses inline handlers, a second line of defence behind the sanitiser.
    page.evaluate("alert(1)")
    page.locator(".markdownx-preview").evaluate(
        "preview => { preview.innerHTML = '<img src=x onerror=alert(2)>'; }"
    )
    page.wait_for_function(
        "() => [...document.querySelectorAll('.markdownx-preview img')]"
        ".every(image => image.complete)"
    )
    page.wait_for_timeout(200)
    assert [call.split(" in ")[0] for call in scripts_run(page)] == ["alert(1)"]
    assert page.locator(".markdownx-preview").evaluate(PREVIEW_PROBLEMS_JS) == [
        '<img onerror="alert(2)">'
    ]
    # That refusal is the one policy violation this test expects.
    assert len(csp_watch.violations) == 1
    assert "inline event handler" in csp_watch.violations.pop()


# The whole editorial story.

TITLE = "Night-time calf cramps"
SLUG = "calf-cramps-at-night"
TABLE = (
    "| Cause | How common |\n"
    "| --- | --- |\n"
    "| Magnesium deficiency | Common |\n"
    "| Dehydration | Very common |"
)
REVIEW_COMMENT = "Please say where the magnesium figure comes from."
REVISION = "Source: the Merck Manual, muscle cramps."
LIVE_EDIT = "Stretching the calves before bed may help."


def add_to_body(page: Page, text: str) -> None:
    """Type a new paragraph at the end of the body and wait for its preview."""
    editor = page.locator("textarea.markdownx-editor")
    editor.focus()
    editor.press("Control+End")
    editor.press_sequentially(f"\n\n{text}")
    expect(page.locator(".markdownx-preview")).to_contain_text(text)


def forge_transition(page: Page, article_pk: int, action: str) -> None:
    """Post a workflow action the page does not offer, with the page's session."""
    with page.expect_navigation():
        page.evaluate(
            """([url, action]) => {
              const form = document.createElement("form");
              form.method = "post";
              form.action = url;
              const token = document.querySelector("[name=csrfmiddlewaretoken]");
              for (const [name, value] of [
                  ["csrfmiddlewaretoken", token.value], ["action", action]]) {
                const input = document.createElement("input");
                input.type = "hidden";
                input.name = name;
                input.value = value;
                form.append(input);
              }
              document.body.append(form);
              form.submit();
            }""",
            [f"/admin/knowledge/article/{article_pk}/transition/", action],
        )


def test_an_article_from_draft_to_reader_and_an_edit_of_it_live(make_user, browse):
    author = make_user("author", "Authors")
    reviewer = make_user("reviewer", "Medical reviewers")
    ReviewerProfile.objects.create(
        user=reviewer, name="Dr Ada Reyes", credential="MD, neurologist"
    )
    publisher = make_user("publisher", "Publishers")

    # 1. The author writes a new article and watches the preview render the table.
    writer = browse(author.username)
    writer.goto("/admin/knowledge/article/add/")
    writer.get_by_label("Title").fill(TITLE)
    writer.get_by_label("Title").press("Tab")  # the admin fills the slug in
    slug = writer.get_by_label("Slug")
    expect(slug).to_have_value("night-time-calf-cramps")
    slug.fill(SLUG)
    writer.get_by_label("Summary").fill("Why calf muscles cramp at night.")
    editor = writer.locator("textarea.markdownx-editor")
    editor.press_sequentially("## What causes them\n\n" + TABLE)
    preview_table = writer.locator(".markdownx-preview table")
    expect(preview_table.locator("thead th")).to_have_text(["Cause", "How common"])
    expect(preview_table.locator("tbody tr")).to_have_count(2)
    expect(preview_table.locator("tbody tr").first.locator("td")).to_have_text(
        ["Magnesium deficiency", "Common"]
    )
    save_and_continue(writer)
    expect_message(writer, "success", "was added successfully")
    match = re.search(r"/article/(\d+)/change/", writer.url)
    assert match, writer.url
    article_pk = int(match[1])
    expect(status_of(writer)).to_have_text("Draft")
    expect(workflow_buttons(writer)).to_have_text(["Save and send for medical review"])

    press(writer, "Save and send for medical review")
    expect_message(writer, "success", f"“{TITLE}” is now in review.")
    expect(status_of(writer)).to_have_text("In review")

    # 2. The author cannot publish: no button for it, and a forged post is refused.
    expect(writer.locator("button[name=_transition][value=publish]")).to_have_count(0)
    expect(writer.locator("button[name=_transition][value=approve]")).to_have_count(0)
    expect(writer.get_by_role("button", name="Publish")).to_have_count(0)
    forge_transition(writer, article_pk, "publish")
    expect_message(writer, "error", "You do not have permission to publish.")
    expect(status_of(writer)).to_have_text("In review")
    article = Article.objects.get(pk=article_pk)
    assert (article.status, article.published_at) == (Article.Status.IN_REVIEW, None)

    # 3. The reviewer sends it back; the author revises it and sends it again.
    checker = browse(reviewer.username)
    checker.goto(change_url(article_pk))
    expect(workflow_buttons(checker)).to_have_text(["Request changes", "Approve"])
    press(checker, "Request changes", comment=REVIEW_COMMENT)
    expect_message(checker, "success", f"“{TITLE}” is now draft.")

    writer.goto(change_url(article_pk))
    expect(status_of(writer)).to_have_text("Draft")
    log = writer.locator("#transitions-group")
    expect(log).to_contain_text(REVIEW_COMMENT)
    # One button saves the revision and sends it: nothing typed is left behind.
    add_to_body(writer, REVISION)
    press(writer, "Save and send for medical review")
    expect_message(writer, "success", f"Your changes were saved. “{TITLE}” is now")
    expect(status_of(writer)).to_have_text("In review")

    checker.reload()
    press(checker, "Approve", comment="Sourced now; reads well.")
    expect_message(checker, "success", f"“{TITLE}” is now approved.")

    # 4. The publisher publishes; a reader sees it, signed by the reviewer.
    editor_in_chief = browse(publisher.username)
    editor_in_chief.goto(change_url(article_pk))
    expect(workflow_buttons(editor_in_chief)).to_have_text(["Publish"])
    press(editor_in_chief, "Publish")
    expect_message(editor_in_chief, "success", f"“{TITLE}” is now published.")

    reader = browse()
    reader.goto(f"/articles/{SLUG}/")
    expect(reader.get_by_role("heading", level=1)).to_have_text(TITLE)
    body = reader.locator(".article-body")
    expect(body.locator("table thead th")).to_have_text(["Cause", "How common"])
    expect(body.locator("table tbody tr")).to_have_count(2)
    expect(body).to_contain_text(REVISION)
    expect(reader.locator(".review-status")).to_contain_text(
        "Medically reviewed by Dr Ada Reyes, MD, neurologist"
    )

    # 5. An edit of the live article waits for a new review before readers see it.
    writer.goto(change_url(article_pk))
    add_to_body(writer, LIVE_EDIT)
    save_and_continue(writer)
    expect_message(writer, "info", "Readers keep seeing the published version")
    expect(status_of(writer)).to_have_text("Draft")
    reader.reload()
    expect(body).to_contain_text(REVISION)
    expect(body).not_to_contain_text(LIVE_EDIT)

    press(writer, "Save and send for medical review")
    expect(status_of(writer)).to_have_text("In review")
    reader.reload()
    expect(body).not_to_contain_text(LIVE_EDIT)

    checker.reload()
    press(checker, "Approve")
    expect(status_of(checker)).to_have_text("Approved")
    reader.reload()
    expect(body).not_to_contain_text(LIVE_EDIT)

    editor_in_chief.reload()
    press(editor_in_chief, "Publish")
    expect(status_of(editor_in_chief)).to_have_text("Published")
    reader.reload()
    expect(body).to_contain_text(LIVE_EDIT)
    expect(body.locator("table tbody tr")).to_have_count(2)
    expect(reader.locator(".review-status")).to_contain_text(
        "Medically reviewed by Dr Ada Reyes, MD, neurologist"
    )


@pytest.mark.parametrize("width", WIDTHS, ids=lambda width: f"{width}px")
def test_only_a_preview_wears_the_preview_frame(site, make_user, browse, width):
    make_user("author", "Authors")
    page = browse("author")
    page.set_viewport_size({"width": width, "height": 900})
    article = Article.objects.get(slug="hemifacial-spasm-and-nutrition")

    page.goto(f"/preview/articles/{article.pk}/")
    preview = page.evaluate(LAYOUT_JS)
    assert preview["banner"], "the preview shows no preview banner"
    assert preview["banner"]["border"] == "dashed"
    assert preview["banner"]["background"] != preview["page"]
    # The banner marks the preview; the page around it is laid out as a live one.
    assert not [
        problem
        for problem in layout_problems("preview", preview)
        if "preview banner" not in problem
    ]

    page.goto(article.get_absolute_url())
    assert page.evaluate(LAYOUT_JS)["banner"] is None

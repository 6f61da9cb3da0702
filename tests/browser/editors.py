"""What an editor does in the admin, as steps a browser test takes."""

import re

from playwright.sync_api import Page, expect

PASSWORD = "correct horse battery staple"


def log_in(page: Page, username: str) -> None:
    page.goto("/admin/login/?next=/admin/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(r"/admin/$"))


def change_url(article_pk: int) -> str:
    return f"/admin/knowledge/article/{article_pk}/change/"


def status_of(page: Page):
    return page.locator(".field-status .readonly")


def workflow_buttons(page: Page):
    """An article's workflow buttons: submit buttons of its change form."""
    return page.locator("button[name=_transition]")


def press(page: Page, button: str, comment: str = "") -> None:
    """Press a workflow button on an article's change page, with a comment."""
    if comment:
        page.locator("textarea[name=comment]").fill(comment)
    with page.expect_navigation():
        page.get_by_role("button", name=button, exact=True).click()


def expect_message(page: Page, level: str, text: str) -> None:
    expect(page.locator(f".messagelist .{level}")).to_contain_text(text)


def save_and_continue(page: Page) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name="Save and continue editing").click()

"""``create_editor``: one command makes an account that can work in its role."""

from http import HTTPStatus
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.urls import reverse

from editorial.management.commands import create_editor

pytestmark = pytest.mark.django_db

PASSWORD = "plum tree harbour 42"


@pytest.fixture
def no_prompt(monkeypatch):
    def refuse(prompt=""):
        raise AssertionError("the command asked for a password")

    monkeypatch.setattr(create_editor, "getpass", refuse)


def run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("create_editor", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_a_reviewer_made_with_a_password_from_the_environment_can_log_in(
    roles, monkeypatch, no_prompt, client
):
    monkeypatch.setenv("DJANGO_EDITOR_PASSWORD", PASSWORD)
    out, err = run(
        "--role", "reviewer", "--username", "jane", "--email", "jane@example.org",
        "--name", "Dr Jane Smith", "--credential", "MD, neurologist", "--no-input",
    )  # fmt: skip
    assert PASSWORD not in out + err
    assert "jane" in out and "Medical reviewers" in out
    jane = get_user_model().objects.get(username="jane")
    assert jane.email == "jane@example.org"
    assert list(jane.groups.values_list("name", flat=True)) == ["Medical reviewers"]
    assert jane.reviewer_profile.name == "Dr Jane Smith"
    assert jane.has_perm("knowledge.review_article")
    login = reverse("admin:login")
    response = client.post(login, {"username": "jane", "password": PASSWORD})
    assert response.status_code == HTTPStatus.FOUND
    assert client.get(reverse("admin:index")).status_code == HTTPStatus.OK


def test_the_password_is_asked_twice_and_never_shown(roles, monkeypatch):
    monkeypatch.delenv("DJANGO_EDITOR_PASSWORD", raising=False)
    answers = iter(["first try 1234", "a typo", PASSWORD, PASSWORD])
    prompts = []

    def prompt(text=""):
        prompts.append(text)
        return next(answers)

    monkeypatch.setattr(create_editor, "getpass", prompt)
    out, err = run("--role", "author", "--role", "publisher", "--username", "sam")
    assert len(prompts) == 4
    assert "do not match" in err
    assert PASSWORD not in out + err and "first try" not in out + err
    sam = get_user_model().objects.get(username="sam")
    assert sam.check_password(PASSWORD)
    assert set(sam.groups.values_list("name", flat=True)) == {"Authors", "Publishers"}


def test_without_input_a_password_must_come_from_the_environment(
    roles, monkeypatch, no_prompt
):
    monkeypatch.delenv("DJANGO_EDITOR_PASSWORD", raising=False)
    with pytest.raises(CommandError, match="DJANGO_EDITOR_PASSWORD"):
        run("--role", "author", "--username", "sam", "--no-input")
    assert not get_user_model().objects.exists()


def test_a_weak_password_is_refused(roles, monkeypatch, no_prompt):
    monkeypatch.setenv("DJANGO_EDITOR_PASSWORD", "12345")
    with pytest.raises(CommandError, match="too short") as refusal:
        run("--role", "author", "--username", "sam", "--no-input")
    assert "12345" not in str(refusal.value)
    assert not get_user_model().objects.exists()


def test_an_unknown_role_is_refused(roles):
    with pytest.raises(CommandError, match="invalid choice: 'editor'"):
        run("--role", "editor", "--username", "sam", "--no-input")


def test_an_existing_username_is_refused(roles, monkeypatch, django_user_model):
    django_user_model.objects.create_user("sam", password="x")
    monkeypatch.setenv("DJANGO_EDITOR_PASSWORD", PASSWORD)
    with pytest.raises(CommandError, match="already exists"):
        run("--role", "author", "--username", "sam", "--no-input")
    assert not django_user_model.objects.get(username="sam").groups.exists()

"""Editors' accounts: who may use the admin, and making one for a role."""

import pytest
from django.contrib.auth.models import AnonymousUser, Group
from django.core.exceptions import ValidationError

from editorial.accounts import editor_create, may_use_admin

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("groups", "is_staff", "is_active", "allowed"),
    [
        (["Authors"], False, True, True),
        (["Publishers", "Medical reviewers"], False, True, True),
        ([], True, True, True),
        ([], False, True, False),
        (["Authors"], False, False, False),
        ([], True, False, False),
    ],
)
def test_who_may_use_the_admin(
    django_user_model, roles, groups, is_staff, is_active, allowed
):
    user = django_user_model.objects.create_user(
        "someone", is_staff=is_staff, is_active=is_active
    )
    user.groups.set(Group.objects.filter(name__in=groups))
    assert may_use_admin(user) is allowed


def test_anonymous_visitors_may_not_use_the_admin():
    assert may_use_admin(AnonymousUser()) is False


def test_an_editor_is_made_in_their_groups_without_staff_status(roles):
    user = editor_create(
        username="ada", email="ada@example.org", password="plum tree harbour 42",
        roles=["author", "reviewer"],
    )  # fmt: skip
    assert not user.is_staff
    assert set(user.groups.values_list("name", flat=True)) == {
        "Authors",
        "Medical reviewers",
    }
    assert user.check_password("plum tree harbour 42")
    assert may_use_admin(user)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"roles": []}, "at least one role"),
        ({"roles": ["editor"]}, "no role called"),
        ({"password": "ada"}, "too similar to the username"),
        ({"username": ""}, "username"),
    ],
)
def test_an_editor_is_refused_with_the_reason(
    django_user_model, roles, fields, message
):
    arguments = {
        "username": "ada", "email": "", "password": "plum tree harbour 42",
        "roles": ["author"], **fields,
    }  # fmt: skip
    with pytest.raises(ValidationError, match=message):
        editor_create(**arguments)
    assert not django_user_model.objects.exists()

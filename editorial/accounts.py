"""Editors' accounts: who may use the admin, and making an account for a role."""

from __future__ import annotations

from collections.abc import Sequence

from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.models import AbstractBaseUser, Group
from django.core.exceptions import ValidationError
from django.db import transaction

from editorial.models import ReviewerProfile
from editorial.roles import ROLE_GROUPS, ROLES


def may_use_admin(user) -> bool:
    """Whether an account may use the admin: an active member of an editorial group,
    or staff (administrators and accounts given permissions one by one)."""
    if not (user.is_authenticated and user.is_active):
        return False
    if user.is_staff:
        return True
    # Asked several times a request (each admin page checks it): ask the database once.
    if not hasattr(user, "_in_editorial_group"):
        user._in_editorial_group = user.groups.filter(name__in=ROLES).exists()
    return user._in_editorial_group


@transaction.atomic
def editor_create(
    *,
    username: str,
    email: str = "",
    password: str,
    roles: Sequence[str],
    name: str = "",
    credential: str = "",
) -> AbstractBaseUser:
    """A new editor's account in the groups of its ``roles`` (``ROLE_GROUPS``).

    It is not marked staff: its groups let it into the admin. A reviewer's ``name``
    and ``credential`` ("Dr Jane Smith", "MD, neurologist") make the profile that
    public pages sign reviews with. Refuses with a ``ValidationError`` that says
    why, by field (``roles``, ``name``, ``username``, ``email``, ``password``).
    """
    if not roles:
        raise ValidationError({"roles": "Give the editor at least one role."})
    if unknown := sorted(set(roles) - set(ROLE_GROUPS)):
        raise ValidationError(
            {
                "roles": f"There is no role called {', '.join(unknown)}: the roles "
                f"are {', '.join(ROLE_GROUPS)}."
            }
        )
    if bool(name) != bool(credential):
        raise ValidationError(
            {"name": "Give a reviewer's name and credential together."}
        )
    User = get_user_model()
    user = User(username=username, email=User.objects.normalize_email(email))
    user.full_clean(exclude=["password"])
    try:
        password_validation.validate_password(password, user)
    except ValidationError as refusal:
        raise ValidationError({"password": refusal.error_list}) from None
    user.set_password(password)
    user.save()
    names = {ROLE_GROUPS[role] for role in roles}
    groups = list(Group.objects.filter(name__in=names))
    if len(groups) != len(names):
        raise ValidationError(
            {"roles": "The editorial groups are missing: run `manage.py migrate`."}
        )
    user.groups.set(groups)
    if name:
        ReviewerProfile.objects.create(user=user, name=name, credential=credential)
    return user

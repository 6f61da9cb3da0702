"""The admin site: editors get in by their editorial role, with no "staff" tick.

Django's admin admits ``is_staff`` accounts only, so each editor needed a group
(what they may do) and the staff flag (that they may come in at all), and an
account with one but not the other was a puzzle. This site admits an active
account that is in an editorial group (``editorial.roles``), or staff.

The other way would keep ``is_staff`` in step with group membership from an
``m2m_changed`` signal. It is not taken because:

- the flag would be a copy of the membership, and copies disagree: bulk writes to
  the membership table send no signal, and taking someone out of their last
  editorial group cannot tell whether they were also staff for another reason;
- membership is then the one thing to change: out of the group, out of the admin,
  at the next request;
- the house style keeps domain rules out of signals.

What it costs: code that asks ``is_staff`` itself must ask ``may_use_admin``
(``editorial.views`` does), and the login form must too (``EditorLoginForm``).
"""

from django.contrib.admin import AdminSite
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.urls import path, reverse

from editorial.accounts import may_use_admin


class EditorLoginForm(AdminAuthenticationForm):
    """The admin's login form, admitting the accounts ``may_use_admin`` admits."""

    def confirm_login_allowed(self, user) -> None:
        AuthenticationForm.confirm_login_allowed(self, user)  # active accounts only
        if not may_use_admin(user):
            raise ValidationError(
                self.error_messages["invalid_login"],
                code="invalid_login",
                params={"username": self.username_field.verbose_name},
            )


class EditorialAdminSite(AdminSite):
    login_form = EditorLoginForm
    site_header = "Twitch Guide: editing"
    site_title = "Twitch Guide editing"
    index_title = "Articles, facts and sources"

    def has_permission(self, request) -> bool:
        return may_use_admin(request.user)

    def get_urls(self):
        return [
            path("audit/", self.admin_view(self.audit_view), name="audit_log"),
            *super().get_urls(),
        ]

    def audit_view(self, request):
        from editorial.admin.audit import audit_view  # models are ready by now

        return audit_view(self, request)

    def get_app_list(self, request, app_label=None):
        """The apps, with the editorial pages that are not lists of one model:
        the person's queue and the audit log, for those who may see them."""
        app_list = super().get_app_list(request, app_label)
        for app in app_list:
            if app["app_label"] == "editorial":
                app["models"] += self._pages(request)
        return app_list

    def _pages(self, request) -> list[dict]:
        from editorial.audit import audited_models

        pages = []
        if request.user.has_perm("knowledge.view_article"):
            pages.append(("Waiting for you", "knowledge_article_waiting"))
        if audited_models(request.user):
            pages.append(("Audit log", "audit_log"))
        return [
            {
                "name": name,
                "object_name": url_name.title().replace("_", ""),
                "admin_url": reverse(f"{self.name}:{url_name}"),
                "add_url": None,
                "view_only": True,
                "perms": {"view": True},
            }
            for name, url_name in pages
        ]

"""The article admin: the workflow's buttons, version comparison and queues."""

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import dateformat, timezone
from simple_history.admin import SimpleHistoryAdmin

from editorial.admin.article_forms import (
    STEP,
    ArticleAdminForm,
    step_form,
    unsaved_edits,
)
from editorial.admin.article_workflow import (
    PublicationMixin,
    ReadableLogMixin,
    workflow_notices,
)
from editorial.admin.base import WellFormedIdsMixin
from editorial.authorship import (
    REVIEWED_LINKS,
    REVIEWED_TEXT,
    article_editors,
    reviewed_text,
)
from editorial.compare import live_changes, text_diff
from editorial.feedback import queues_for
from editorial.models import ArticleTransition, ReviewerProfile
from editorial.services import (
    TransitionRefused,
    article_record_address_change,
    article_record_edit,
    article_transition,
    article_transitions_for,
)
from knowledge.models import Article


class ReviewDueFilter(admin.SimpleListFilter):
    title = "medical review"
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return [
            ("overdue", "Overdue, or live and never reviewed"),
            ("never", "Never reviewed"),
        ]

    def queryset(self, request, queryset):
        if self.value() == "overdue":
            return queryset.review_overdue()
        if self.value() == "never":
            return queryset.filter(reviewed_at__isnull=True)
        return queryset


class ArticleTransitionInline(ReadableLogMixin, admin.TabularInline):
    model = ArticleTransition
    extra = 0
    can_delete = False
    fields = readonly_fields = ["created_at", "by", "step", "moved", "comment"]
    verbose_name_plural = "workflow log"

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Article)
class ArticleAdmin(WellFormedIdsMixin, PublicationMixin, SimpleHistoryAdmin):
    form = ArticleAdminForm
    list_display = [
        "title",
        "status",
        "publication",
        "reviewed_at",
        "review_due",
        "updated_at",
    ]
    list_filter = ["status", ReviewDueFilter]
    search_fields = ["title", "summary", "body"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["nutrients", "causes"]
    date_hierarchy = "published_at"
    # The workflow alone changes these: see the buttons on the change page.
    readonly_fields = [
        "status",
        "publication",
        "reviewed_by",
        "reviewed_at",
        "review_comment",
        "review_due",
        "source",
    ]
    inlines = [ArticleTransitionInline]
    change_form_template = "editorial/article_change_form.html"
    change_list_template = "editorial/article_change_list.html"

    def save_model(self, request, obj, form, change):
        obj._history_user = request.user
        if not change:
            super().save_model(request, obj, form, change)
            return
        # Compare with the stored row rather than with the form's initial values:
        # restoring an old version from the history changes the text too.
        stored = Article.objects.get(pk=obj.pk)
        edited = any(
            reviewed_text(getattr(stored, name)) != reviewed_text(getattr(obj, name))
            for name in REVIEWED_TEXT
        ) or bool(set(REVIEWED_LINKS) & set(form.changed_data))
        if edited:
            article_record_edit(article=obj, user=request.user)
            if obj.published_at:
                messages.info(
                    request,
                    "Saved as a new draft. Readers keep seeing the published version "
                    "until this one is reviewed and published.",
                )
        elif any(
            field.value_from_object(stored) != field.value_from_object(obj)
            for field in Article._meta.concrete_fields
            if field.name in form.fields and field.name not in REVIEWED_TEXT
        ):
            article_record_address_change(article=obj, user=request.user)
            if obj.live_slug and obj.slug != obj.live_slug:
                waits = (
                    " Its text needs no new medical review: it waits for a publisher."
                    if stored.status == Article.Status.PUBLISHED
                    else ""
                )
                messages.info(
                    request,
                    f"Saved. Readers keep finding it at {obj.get_absolute_url()} "
                    "until it is published again; from then on that address "
                    f"redirects to the new one.{waits}",
                )
        else:
            return  # nothing changed: no save, no new version, no change of status
        obj._edits_saved = True

    def get_urls(self):
        return [
            path(
                "<path:object_id>/transition/",
                self.admin_site.admin_view(self.transition_view),
                name="knowledge_article_transition",
            ),
            path(
                "<path:object_id>/compare/",
                self.admin_site.admin_view(self.compare_view),
                name="knowledge_article_compare",
            ),
            path(
                "waiting/",
                self.admin_site.admin_view(self.waiting_view),
                name="knowledge_article_waiting",
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        article = self.get_object(request, unquote(object_id))
        if (
            request.method == "POST"
            and STEP in request.POST
            and article is not None
            and not self.has_change_permission(request, article)
        ):
            # A reviewer's or a publisher's page has nothing to save: the step only.
            if not self.has_view_permission(request, article):
                raise PermissionDenied
            return self._take_step(request, article, action_field=STEP)
        extra_context = {
            **(extra_context or {}),
            **self._workflow_context(request, article),
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def _workflow_context(self, request, article) -> dict:
        """The step buttons this user may press, and why they may not approve."""
        if article is None:
            return {}
        user = request.user
        saves = self.has_change_permission(request, article)
        steps = [
            (
                t.action,
                f"Save and {t.label[0].lower()}{t.label[1:]}" if saves else t.label,
            )
            for t in article_transitions_for(article=article, user=user)
        ]
        not_independent = ""
        if article.status == Article.Status.IN_REVIEW and user.has_perm(
            "knowledge.review_article"
        ):
            not_independent = article_editors(article).get(user.pk, "")
        return {
            "steps": steps,
            "saves": saves,
            "not_independent": not_independent,
            **workflow_notices(article),
        }

    def response_change(self, request, obj):
        if STEP in request.POST:  # the form is saved: now the step
            saved = getattr(obj, "_edits_saved", False)
            return self._take_step(request, obj, action_field=STEP, saved=saved)
        return super().response_change(request, obj)

    def transition_view(self, request, object_id):
        """A step posted on its own, with nothing to save.

        The change page's buttons post the whole form to the change view instead;
        a post that carries edits here is refused, so that none is lost unseen.
        """
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        article = self.get_object_or_404(request, object_id)
        if not self.has_view_permission(request, article):
            raise PermissionDenied
        if edited := unsaved_edits(article, request.POST):
            fields = " and ".join(
                f"the {Article._meta.get_field(name).verbose_name}" for name in edited
            )
            messages.error(
                request,
                f"Nothing was done: your changes to {fields} are not saved. Make them "
                "again on the article's page and press the step's button there: it "
                "saves them first.",
            )
            return redirect(self._change_url(article))
        return self._take_step(request, article, action_field="action")

    def _take_step(
        self, request, article: Article, *, action_field: str, saved: bool = False
    ) -> HttpResponseRedirect:
        """Take the step the post asks for; say what happened in a message."""
        step = step_form(request.POST, action_field=action_field)
        if not step.is_valid():
            for errors in step.errors.values():
                for error in errors:
                    messages.error(request, error)
            return redirect(self._change_url(article))
        try:
            article_transition(
                article=article,
                user=request.user,
                action=step.cleaned_data["action"],
                comment=step.cleaned_data["comment"],
                publish_at=step.cleaned_data["publish_at"],
                unpublish_at=step.cleaned_data["unpublish_at"],
            )
        except TransitionRefused as refusal:
            done = (
                "Your changes were saved, but nothing else was done: " if saved else ""
            )
            messages.error(request, f"{done}{refusal}")
        else:
            article.refresh_from_db()
            done = "Your changes were saved. " if saved else ""
            status = article.get_status_display().lower()
            if step.cleaned_data["action"] == "recertify":
                due = dateformat.format(article.review_due, "j F Y")
                messages.success(
                    request,
                    f"{done}“{article}” is confirmed as still accurate; the next "
                    f"medical review is due on {due}.",
                )
            else:
                messages.success(request, f"{done}“{article}” is now {status}.")
        return redirect(self._change_url(article))

    def _change_url(self, article: Article) -> str:
        return reverse("admin:knowledge_article_change", args=[article.pk])

    def compare_view(self, request, object_id):
        """Every saved version, each with what changed from the one before it."""
        article = self.get_object_or_404(request, object_id)
        if not self.has_view_permission(request, article):
            raise PermissionDenied
        records = list(article.history.select_related("history_user")[:50])
        versions = []
        for record, previous in zip(records, [*records[1:], None], strict=True):
            changes = []
            if previous is not None:
                for change in record.diff_against(previous).changes:
                    changes.append(
                        {
                            "field": Article._meta.get_field(change.field).verbose_name,
                            "lines": text_diff(change.old, change.new),
                        }
                    )
            versions.append({"record": record, "changes": changes})
        context = {
            **self.admin_site.each_context(request),
            "title": f"Versions of “{article}”",
            "article": article,
            "versions": versions,
            "live": bool(article.live_title),
            "live_changes": live_changes(article),
            "opts": self.model._meta,
        }
        template = "editorial/article_compare.html"
        return TemplateResponse(request, template, context)

    def waiting_view(self, request):
        """What is waiting for this person: their articles sent back with changes
        requested, and what their roles can act on (``editorial.feedback``)."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "title": "Waiting for you",
            "queues": queues_for(user=request.user),
            "overdue": Article.objects.filter(
                review_due__lt=timezone.localdate()
            ).order_by("review_due"),
            "never_reviewed": Article.objects.live_never_reviewed().order_by("title"),
        }
        return TemplateResponse(request, "editorial/article_waiting.html", context)


@admin.register(ReviewerProfile)
class ReviewerProfileAdmin(WellFormedIdsMixin, admin.ModelAdmin):
    list_display = ["name", "credential", "user"]
    search_fields = ["name", "credential", "user__username"]

"""The article admin: the workflow's buttons, version comparison and queues."""

import difflib

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from simple_history.admin import SimpleHistoryAdmin

from editorial.models import ArticleTransition, ReviewerProfile
from editorial.services import (
    TransitionRefused,
    article_record_edit,
    article_transition,
    article_transitions_for,
)
from knowledge.models import Article

# Changing any of these needs a new medical review before readers see it.
REVIEWED_TEXT = ["title", "summary", "body"]


def text_diff(old, new) -> list[tuple[str, str]]:
    """A line-by-line diff as (kind, text) pairs: "+" added, "-" removed, " " same."""
    lines = difflib.ndiff(str(old or "").splitlines(), str(new or "").splitlines())
    return [(line[0], line[2:]) for line in lines if line[0] in "+- "]


class ArticleAdminForm(forms.ModelForm):
    """The article form, refusing a save that would overwrite someone else's."""

    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Article
        fields = ["title", "slug", "summary", "body", "nutrients", "causes"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["expected_version"].initial = self.instance.version

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk:
            # Lock the row until this save commits (the admin wraps it in a
            # transaction), so two saves cannot both pass this check.
            current = (
                Article.objects.select_for_update()
                .values_list("version", flat=True)
                .get(pk=self.instance.pk)
            )
            if cleaned.get("expected_version") != current:
                raise forms.ValidationError(
                    "Someone else saved this article after you opened it, so your "
                    "changes were not saved. Your text is still in the form below: "
                    "copy what you need, reload the page to see their version, and "
                    "make your changes again.",
                    code="stale",
                )
        return cleaned


class ReviewDueFilter(admin.SimpleListFilter):
    title = "medical review"
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return [("overdue", "Overdue"), ("never", "Never reviewed")]

    def queryset(self, request, queryset):
        if self.value() == "overdue":
            return queryset.filter(review_due__lt=timezone.localdate())
        if self.value() == "never":
            return queryset.filter(reviewed_at__isnull=True)
        return queryset


class ArticleTransitionInline(admin.TabularInline):
    model = ArticleTransition
    extra = 0
    can_delete = False
    fields = readonly_fields = [
        "created_at",
        "user",
        "action",
        "from_status",
        "to_status",
        "comment",
    ]
    verbose_name_plural = "workflow log"

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Article)
class ArticleAdmin(SimpleHistoryAdmin):
    form = ArticleAdminForm
    list_display = [
        "title",
        "status",
        "published_at",
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
        "published_at",
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
        # Compare with the stored row rather than with the form's initial values:
        # restoring an old version from the history changes the text too.
        before = Article.objects.filter(pk=obj.pk).first() if change else None
        super().save_model(request, obj, form, change)
        edited = before and any(
            getattr(before, field) != getattr(obj, field) for field in REVIEWED_TEXT
        )
        if edited or (change and {"nutrients", "causes"} & set(form.changed_data)):
            article_record_edit(article=obj, user=request.user)
            if obj.published_at:
                messages.info(
                    request,
                    "Saved as a new draft. Readers keep seeing the published version "
                    "until this one is reviewed and published.",
                )

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
        article = self.get_object(request, object_id)
        extra_context = {
            **(extra_context or {}),
            "transitions": article_transitions_for(article=article, user=request.user)
            if article
            else [],
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def transition_view(self, request, object_id):
        article = get_object_or_404(Article, pk=object_id)
        change_url = reverse("admin:knowledge_article_change", args=[article.pk])
        if request.method != "POST" or not self.has_view_permission(request, article):
            return HttpResponseNotAllowed(["POST"])
        publish_at = None
        if raw_time := request.POST.get("publish_at", "").strip():
            publish_at = parse_datetime(raw_time)
            if publish_at is None:
                messages.error(request, "The publication time is not a valid time.")
                return redirect(change_url)
            if timezone.is_naive(publish_at):
                publish_at = timezone.make_aware(publish_at)
        try:
            article_transition(
                article=article,
                user=request.user,
                action=request.POST.get("action", ""),
                comment=request.POST.get("comment", ""),
                publish_at=publish_at,
            )
        except TransitionRefused as refusal:
            messages.error(request, str(refusal))
        else:
            article.refresh_from_db()
            messages.success(
                request, f"“{article}” is now {article.get_status_display().lower()}."
            )
        return redirect(change_url)

    def compare_view(self, request, object_id):
        """Every saved version, each with what changed from the one before it."""
        article = get_object_or_404(Article, pk=object_id)
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
            "opts": self.model._meta,
        }
        template = "editorial/article_compare.html"
        return TemplateResponse(request, template, context)

    def waiting_view(self, request):
        """What is waiting for this user's role: drafts, reviews or publications."""
        user = request.user
        roles = [
            ("knowledge.submit_article", "Drafts to finish and send for review"),
            ("knowledge.review_article", "Waiting for your medical review"),
            ("knowledge.publish_article", "Approved, waiting to be published"),
        ]
        statuses = [
            Article.Status.DRAFT,
            Article.Status.IN_REVIEW,
            Article.Status.APPROVED,
        ]
        queues = [
            (label, status)
            for (permission, label), status in zip(roles, statuses, strict=True)
            if user.has_perm(permission)
        ]
        context = {
            **self.admin_site.each_context(request),
            "title": "Waiting for you",
            "queues": [
                (label, Article.objects.filter(status=status).order_by("updated_at"))
                for label, status in queues
            ],
            "overdue": Article.objects.filter(
                review_due__lt=timezone.localdate()
            ).order_by("review_due"),
        }
        return TemplateResponse(request, "editorial/article_waiting.html", context)


@admin.register(ReviewerProfile)
class ReviewerProfileAdmin(admin.ModelAdmin):
    list_display = ["name", "credential", "user"]
    search_fields = ["name", "credential", "user__username"]

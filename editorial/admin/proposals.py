"""Proposals in the admin: an editor's changes to the facts, their review page with
the difference from what readers see, and the workflow's buttons."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from editorial import facts
from editorial.admin.base import WellFormedIdsMixin
from editorial.annotate import (
    AnnotationForm,
    annotation_record,
    find_passages,
    quoted_text,
)
from editorial.models import Proposal, ProposalTransition, ProposedChange
from editorial.proposals import (
    Action,
    TransitionRefused,
    fact_history,
    proposal_editors,
    proposal_in_progress,
    proposal_log_label,
    proposal_record,
    proposal_review,
    proposal_transition,
    proposal_transitions_for,
    unpublished_sources,
)
from knowledge.models import SourceDocument


def proposal_url(proposal: Proposal) -> str:
    return reverse("admin:editorial_proposal_review", args=[proposal.pk])


class ProposeChangesMixin:
    """The admin of a fact: saving or deleting proposes the change, for review.

    Nothing is written to the knowledge base here. The change goes into the
    editor's draft proposal; the form shows the editor their proposed version
    while it waits; readers keep seeing the published one.
    """

    def _draft_change(self, request, obj) -> ProposedChange | None:
        if obj is None or obj.pk is None:
            return None
        return (
            ProposedChange.objects.filter(
                proposal__author=request.user,
                proposal__status=Proposal.Status.DRAFT,
                content_type__app_label=obj._meta.app_label,
                content_type__model=obj._meta.model_name,
                object_id=obj.pk,
                action=Action.UPDATE,
            )
            .order_by("-pk")
            .first()
        )

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if (change := self._draft_change(request, obj)) is not None:
            facts.assign(obj, change.data, {})
        return obj

    def save_model(self, request, obj, form, change):
        # Every field of the form: proposal_record keeps those that differ from
        # what readers see, whatever the draft the form showed.
        fact_fields = {field.name for field in facts.fields_of(type(obj))}
        names = [name for name in form.fields if name in fact_fields]
        proposal = proposal_in_progress(user=request.user)
        try:
            request.proposed = proposal_record(
                proposal=proposal,
                user=request.user,
                model=type(obj),
                action=Action.UPDATE if change else Action.CREATE,
                data=facts.serialise(obj, names),
                object_id=obj.pk if change else None,
            )
        except TransitionRefused as refusal:
            messages.error(request, str(refusal))
        request.proposal = proposal

    def save_related(self, request, form, formsets, change):
        """Facts have no inlines: their evidence and links are facts of their own."""

    def delete_model(self, request, obj):
        request.proposal = proposal_in_progress(user=request.user)
        proposal_record(
            proposal=request.proposal,
            user=request.user,
            model=type(obj),
            action=Action.DELETE,
            object_id=obj.pk,
        )

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)

    # The proposal keeps the record of who did what: no admin log entries for a
    # change that has not happened.
    def log_addition(self, request, obj, message):
        return None

    def log_change(self, request, obj, message):
        return None

    def log_deletion(self, request, obj, object_repr):
        return None

    def log_deletions(self, request, queryset):
        return None

    def _to_proposal(self, request) -> HttpResponseRedirect:
        proposal = request.proposal
        messages.success(
            request,
            format_html(
                'Your change is in your draft proposal “<a href="{}">{}</a>”. '
                "Readers see the published facts until it is reviewed and "
                "published.",
                proposal_url(proposal),
                proposal,
            ),
        )
        return redirect(proposal_url(proposal))

    def response_add(self, request, obj, post_url_continue=None):
        return self._to_proposal(request)

    def response_change(self, request, obj):
        return self._to_proposal(request)

    def response_delete(self, request, obj_display, obj_id):
        return self._to_proposal(request)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id)
        extra_context = {
            **(extra_context or {}),
            "fact_history": fact_history(obj) if obj else [],
            "draft_change": self._draft_change(request, obj),
        }
        return super().change_view(request, object_id, form_url, extra_context)


class ProposedChangeInline(admin.TabularInline):
    model = ProposedChange
    extra = 0
    can_delete = True
    fields = readonly_fields = ["action", "content_type", "object_id", "updated_at"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Proposal)
class ProposalAdmin(WellFormedIdsMixin, admin.ModelAdmin):
    list_display = ["title", "status", "author", "updated_at"]
    list_filter = ["status"]
    change_list_template = "editorial/proposal_change_list.html"
    search_fields = ["title"]
    fields = ["title"]

    def get_urls(self):
        return [
            path(
                "<int:proposal_id>/review/",
                self.admin_site.admin_view(self.review_view),
                name="editorial_proposal_review",
            ),
            path(
                "<int:proposal_id>/transition/",
                self.admin_site.admin_view(self.transition_view),
                name="editorial_proposal_transition",
            ),
            path(
                "<int:proposal_id>/withdraw/<int:change_id>/",
                self.admin_site.admin_view(self.withdraw_view),
                name="editorial_proposal_withdraw",
            ),
            path(
                "annotate/",
                self.admin_site.admin_view(self.annotate_view),
                name="editorial_proposal_annotate",
            ),
            path(
                "mine/",
                self.admin_site.admin_view(self.mine_view),
                name="editorial_proposal_mine",
            ),
            *super().get_urls(),
        ]

    def has_add_permission(self, request) -> bool:
        return False  # a proposal begins with an editor's first change

    def has_change_permission(self, request, obj=None) -> bool:
        # Only its author renames a draft; everything else is the workflow's.
        if obj is None:
            return super().has_change_permission(request)
        return obj.author_id == request.user.pk and obj.status == Proposal.Status.DRAFT

    def has_delete_permission(self, request, obj=None) -> bool:
        return self.has_change_permission(request, obj) if obj else False

    def change_view(self, request, object_id, form_url="", extra_context=None):
        proposal = self.get_object(request, object_id)
        if proposal is not None and not self.has_change_permission(request, proposal):
            return redirect(proposal_url(proposal))
        return super().change_view(request, object_id, form_url, extra_context)

    def response_change(self, request, obj):
        return redirect(proposal_url(obj))

    def annotate_view(self, request: HttpRequest):
        """Pick a document, find a passage, say what it is evidence of."""
        if not request.user.has_perm("knowledge.add_evidence"):
            raise PermissionDenied
        documents = SourceDocument.objects.filter(article__isnull=False)
        # A malformed or unknown document is none: the page offers the list.
        choice = forms.ModelChoiceField(queryset=documents, required=False)
        try:
            document = choice.clean(request.GET.get("document"))
        except forms.ValidationError:
            document = None
        form = None
        if document is not None:
            initial = {
                "passage": request.GET.get("passage", ""),
                "value": request.GET.get("value", ""),
            }
            form = AnnotationForm(
                request.POST if request.method == "POST" else None,
                document=document,
                initial=initial,
            )
            if request.method == "POST" and form.is_valid():
                proposal = proposal_in_progress(user=request.user)
                try:
                    annotation_record(
                        proposal=proposal,
                        user=request.user,
                        document=document,
                        data=form.cleaned_data,
                    )
                except TransitionRefused as refusal:
                    messages.error(request, str(refusal))
                else:
                    messages.success(
                        request,
                        format_html(
                            'The quote is in your draft proposal “<a href="{}">{}'
                            "</a>”. Annotate another passage, or send the proposal "
                            "for review.",
                            proposal_url(proposal),
                            proposal,
                        ),
                    )
                    url = reverse("admin:editorial_proposal_annotate")
                    return redirect(f"{url}?document={document.pk}")
        find = request.GET.get("find", "").strip()[:500]
        context = {
            **self.admin_site.each_context(request),
            "title": "Annotate a source document",
            "opts": self.model._meta,
            "documents": documents,
            "document": document,
            "find": find,
            "found": find_passages(document.text, find) if document and find else [],
            "text": quoted_text(document) if document else "",
            "form": form,
            "groups": ANNOTATION_GROUPS,
        }
        return TemplateResponse(request, "editorial/annotate.html", context)

    def mine_view(self, request: HttpRequest):
        """The editor's draft proposal: where their changes are gathered."""
        draft = (
            Proposal.objects.filter(author=request.user, status=Proposal.Status.DRAFT)
            .order_by("-updated_at")
            .first()
        )
        if draft is None:
            messages.info(
                request,
                "You have no draft proposal: your next change to a fact begins one.",
            )
            return redirect(reverse("admin:editorial_proposal_changelist"))
        return redirect(proposal_url(draft))

    def review_view(self, request: HttpRequest, proposal_id: int):
        proposal = get_object_or_404(Proposal, pk=proposal_id)
        if not self.has_view_permission(request, proposal):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "title": f"Proposal: {proposal}",
            "opts": self.model._meta,
            "proposal": proposal,
            "reviews": proposal_review(proposal),
            "transitions": proposal_transitions_for(
                proposal=proposal, user=request.user
            ),
            "log": [
                (step, proposal_log_label(step))
                for step in ProposalTransition.objects.filter(proposal=proposal)
                .select_related("user")
                .order_by("created_at", "pk")
            ],
            "is_editor": request.user.pk in proposal_editors(proposal),
            "can_edit": self.has_change_permission(request, proposal),
            "unpublished_sources": unpublished_sources(proposal),
        }
        return TemplateResponse(request, "editorial/proposal_review.html", context)

    def transition_view(self, request: HttpRequest, proposal_id: int):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        proposal = get_object_or_404(Proposal, pk=proposal_id)
        if not self.has_view_permission(request, proposal):
            raise PermissionDenied
        try:
            proposal = proposal_transition(
                proposal=proposal,
                user=request.user,
                action=request.POST.get("action", ""),
                comment=request.POST.get("comment", ""),
            )
        except TransitionRefused as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(
                request,
                f"“{proposal}” is now {proposal.get_status_display().lower()}.",
            )
        return redirect(proposal_url(proposal))

    def withdraw_view(self, request: HttpRequest, proposal_id: int, change_id: int):
        """Take one change out of a draft proposal."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        proposal = get_object_or_404(Proposal, pk=proposal_id)
        if not self.has_change_permission(request, proposal):
            raise PermissionDenied
        proposal.changes.filter(pk=change_id).delete()
        messages.success(request, "The change is out of the proposal.")
        return redirect(proposal_url(proposal))


ANNOTATION_GROUPS = [
    ("The passage", ["passage", "value"]),
    (
        "About what",
        [
            "subject",
            "cause",
            "nutrient",
            "condition",
            "new_cause_name",
            "new_cause_category",
            "new_cause_nutrient",
        ],
    ),
    ("What it says of it", ["aspect", "stance", "inference", "locator"]),
    (
        "What comes with it (symptoms, body areas, foods)",
        [
            "symptoms",
            "areas",
            "foods",
            "new_food_name",
            "new_food_category",
            "new_food_diet",
            "food_words",
        ],
    ),
]

"""The article's change form, and the workflow step its buttons ask for.

Every workflow button on the change page is a submit button of the change form
(``STEP``): the form is saved first, then the step is taken, so no step can drop
an edit. A step asked for with inputs that make no sense (an impossible publication
time) is a form error, and nothing is saved.
"""

from __future__ import annotations

from django import forms
from django.http import QueryDict
from markdownx.fields import MarkdownxFormField

from editorial.admin.widgets import ArticleBodyEditor
from editorial.authorship import REVIEWED_LINKS, reviewed_text
from editorial.services import TRANSITIONS
from knowledge.models import Article

# The name of the workflow buttons on the change form; the value is the action.
STEP = "_transition"


class _ReviewedText:
    """A text field that reads line endings as ``\\n`` and sees no change in them."""

    def to_python(self, value):
        return super().to_python(reviewed_text(value) if value else value)

    def has_changed(self, initial, data) -> bool:
        return reviewed_text(initial) != reviewed_text(self.to_python(data))


class ReviewedTextField(_ReviewedText, forms.CharField):
    pass


class ReviewedMarkdownField(_ReviewedText, MarkdownxFormField):
    pass


class ArticleAdminForm(forms.ModelForm):
    """The article form, refusing a save that would overwrite someone else's."""

    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Article
        fields = ["title", "slug", "summary", "body", "nutrients", "causes"]
        field_classes = {
            "title": ReviewedTextField,
            "summary": ReviewedTextField,
            "body": ReviewedMarkdownField,
        }
        widgets = {"body": ArticleBodyEditor}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["expected_version"].initial = self.instance.version

    def clean_slug(self) -> str:
        slug = self.cleaned_data["slug"]
        others = Article.objects.exclude(pk=self.instance.pk)
        if others.filter(live_slug=slug).exists():
            raise forms.ValidationError(
                "Readers find another article at this address: choose another slug.",
                code="live_elsewhere",
            )
        return slug

    def clean(self):
        cleaned = super().clean()
        if STEP in self.data:
            # The step is taken after the save: check what it needs before saving.
            step = step_form(self.data, action_field=STEP)
            if not step.is_valid():
                for errors in step.errors.values():
                    for error in errors:
                        self.add_error(None, error)
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


class TransitionForm(forms.Form):
    """A workflow step: its action, the reviewer's comment, and a time to publish or
    unpublish at, read in the site's time zone (``TIME_ZONE``)."""

    action = forms.ChoiceField(
        choices=[(action, t.label) for action, t in TRANSITIONS.items()],
        error_messages={
            "required": "Say which step to take.",
            "invalid_choice": "There is no action called “%(value)s”.",
        },
    )
    comment = forms.CharField(required=False)
    publish_at = forms.DateTimeField(
        required=False,
        error_messages={
            "invalid": "The publication time is not a valid date and time: pick "
            "one with the date picker, or write it as 2026-05-01 14:30."
        },
    )
    unpublish_at = forms.DateTimeField(
        required=False,
        error_messages={
            "invalid": "The time to unpublish is not a valid date and time: pick "
            "one with the date picker, or write it as 2026-05-01 14:30."
        },
    )


def step_form(data: QueryDict, *, action_field: str) -> TransitionForm:
    """The step a post asks for, its action read from ``action_field``."""
    return TransitionForm(
        {
            "action": data.get(action_field, ""),
            "comment": data.get("comment", ""),
            "publish_at": data.get("publish_at", ""),
            "unpublish_at": data.get("unpublish_at", ""),
        }
    )


def unsaved_edits(article: Article, data: QueryDict) -> list[str]:
    """The fields a posted change form would change: edits not saved yet.

    Only the fields the post carries count; the linked causes and nutrients count
    when the post is a whole change form (an empty choice sends nothing).
    """
    form = ArticleAdminForm(instance=article)
    edited = [
        name
        for name in ("title", "slug", "summary", "body")
        if name in data
        and form.fields[name].has_changed(form[name].initial, data[name])
    ]
    if "expected_version" in data:
        edited += [
            name
            for name in REVIEWED_LINKS
            if form.fields[name].has_changed(form[name].initial, data.getlist(name))
        ]
    return edited

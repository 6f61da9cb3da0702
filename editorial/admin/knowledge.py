"""The knowledge base in the admin: source documents, and the facts.

A new source document is stored at once, with a draft article that reproduces it
(neither reaches readers before review). Every fact (cause, nutrient, food,
condition, symptom, body area, evidence, the links between them, synonyms, and what
a document says of itself) is changed through a proposal: saving writes the change
into the editor's draft proposal (``ProposeChangesMixin``).
"""

from django import forms
from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from editorial.admin.base import WellFormedIdsMixin
from editorial.admin.proposals import ProposeChangesMixin
from knowledge.models import (
    Article,
    BodyArea,
    Cause,
    CauseBodyArea,
    CauseSymptom,
    Condition,
    Evidence,
    FoodSource,
    Nutrient,
    NutrientFood,
    SourceDocument,
    Symptom,
)
from knowledge.models.sources import NOT_STATED
from knowledge.services import document_add, document_article_body
from search import admin as search_admin
from search.models import Synonym

MAX_DOCUMENT_BYTES = 1_000_000


class HttpsURLField(forms.URLField):
    """A URL typed without a scheme is read as https (Django 6's default)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("assume_scheme", "https")
        super().__init__(**kwargs)


class SourceDocumentForm(forms.ModelForm):
    """A new source document: its text uploaded or pasted, and what it says of itself.

    Line endings become ``\n`` (a browser sends a pasted text with ``\r\n``); the
    text is otherwise kept exactly as given.
    """

    upload = forms.FileField(
        required=False,
        help_text="A plain-text or Markdown file (UTF-8), at most 1 MB. Or paste the "
        "text below.",
    )

    class Meta:
        model = SourceDocument
        fields = [
            "upload",
            "text",
            "format",
            "title",
            "editorial_title",
            "author",
            "published_on",
            "url",
            "title_is_first_line",
            "left_out",
            "subheadings",
        ]
        field_classes = {"url": HttpsURLField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "text" in self.fields:
            # Kept exactly as given: no stripping of leading or trailing space.
            self.fields["text"].required = False
            self.fields["text"].strip = False

    def clean_upload(self):
        upload = self.cleaned_data.get("upload")
        if upload is None:
            return ""
        if upload.size > MAX_DOCUMENT_BYTES:
            raise forms.ValidationError("The file is larger than 1 MB.")
        try:
            return upload.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise forms.ValidationError(
                "The file is not UTF-8 text. Upload a plain-text or Markdown file."
            ) from None

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk:
            return cleaned
        uploaded, pasted = cleaned.get("upload", ""), cleaned.get("text", "")
        if uploaded and pasted:
            raise forms.ValidationError("Upload a file or paste the text, not both.")
        text = (uploaded or pasted or "").replace("\r\n", "\n").replace("\r", "\n")
        if not text.strip():
            raise forms.ValidationError("Upload the document's text or paste it.")
        if "\x00" in text:
            raise forms.ValidationError("The text holds NUL characters: is it text?")
        if len(text.encode("utf-8")) > MAX_DOCUMENT_BYTES:
            raise forms.ValidationError("The text is longer than 1 MB.")
        cleaned["text"] = self.instance.text = text
        if cleaned.get("title_is_first_line") and not cleaned.get("title"):
            self.add_error(
                "title",
                "The first line is the title: give it here, word for word.",
            )
        if not self.errors:
            for name in ("format", "title", "editorial_title", "title_is_first_line"):
                setattr(self.instance, name, cleaned.get(name))
            self.instance.left_out = cleaned.get("left_out", "")
            self.instance.subheadings = cleaned.get("subheadings", "")
            try:
                document_article_body(self.instance)
            except (ValueError, IndexError) as error:
                raise forms.ValidationError(
                    f"The text does not fit what this form says of it: {error}"
                ) from error
        return cleaned


@admin.register(SourceDocument)
class SourceDocumentAdmin(WellFormedIdsMixin, ProposeChangesMixin, admin.ModelAdmin):
    form = SourceDocumentForm
    list_display = ["__str__", "author_or_not_stated", "date_or_not_stated", "key"]
    search_fields = ["title", "editorial_title", "author", "filename", "text"]
    readonly_fields = [
        "key",
        "filename",
        "sha256",
        "added_at",
        "added_by",
        "its_article",
    ]

    @admin.display(description="author or publisher")
    def author_or_not_stated(self, document: SourceDocument) -> str:
        return document.author or NOT_STATED

    @admin.display(description="original date")
    def date_or_not_stated(self, document: SourceDocument) -> str:
        return str(document.published_on) if document.published_on else NOT_STATED

    @admin.display(description="article")
    def its_article(self, document: SourceDocument) -> str:
        try:
            article = document.article
        except Article.DoesNotExist:
            return "None yet"
        url = reverse("admin:knowledge_article_change", args=[article.pk])
        annotate = reverse("admin:editorial_proposal_annotate")
        return format_html(
            '<a href="{}">{}</a> ({}) · <a href="{}?document={}">Annotate it</a>',
            url,
            article,
            article.get_status_display(),
            annotate,
            document.pk,
        )

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        if obj is not None:
            fields = [name for name in fields if name != "upload"]
        return fields

    def get_readonly_fields(self, request, obj=None):
        readonly = list(self.readonly_fields)
        if obj is not None:
            # The text and how it becomes the article are fixed once it is stored:
            # a corrected text is a new document.
            readonly += [
                "text",
                "format",
                "title_is_first_line",
                "left_out",
                "subheadings",
            ]
        return readonly

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # a document stays: quotes and its article cite it

    def response_add(self, request, obj, post_url_continue=None):
        # A new document is stored at once, not proposed: it reaches readers only
        # with its article, which goes through review.
        return admin.ModelAdmin.response_add(self, request, obj, post_url_continue)

    def log_addition(self, request, obj, message):
        return admin.ModelAdmin.log_addition(self, request, obj, message)

    def save_model(self, request, obj, form, change):
        if change:  # what it says of itself: proposed, reviewed, published
            super().save_model(request, obj, form, change)
            return
        article = document_add(document=obj, user=request.user)
        article_url = reverse("admin:knowledge_article_change", args=[article.pk])
        messages.info(
            request,
            format_html(
                'Its article, <a href="{}">{}</a>, is a draft: send it for medical '
                "review when it is ready. Readers see neither until it is published.",
                article_url,
                article.title,
            ),
        )


class FactAdmin(WellFormedIdsMixin, ProposeChangesMixin, SimpleHistoryAdmin):
    """A fact's admin: changes are proposed; its page shows its review history.

    A subject's page (cause, nutrient, condition) also lists what the sources say
    of it, each quote linked to its own form, with a link to add another.
    """

    change_form_template = "editorial/fact_change_form.html"
    evidence_field: str | None = None  # Evidence's foreign key to this subject

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = dict(extra_context or {})
        if self.evidence_field and object_id and self.is_key(object_id):
            field = self.evidence_field
            extra_context["evidence"] = (
                Evidence.objects.filter(**{f"{field}_id": object_id})
                .select_related("article")
                .order_by("aspect", "article__title", "start")
            )
            add = reverse("admin:knowledge_evidence_add")
            extra_context["add_evidence_url"] = f"{add}?{field}={object_id}"
        return super().change_view(request, object_id, form_url, extra_context)


@admin.register(Nutrient)
class NutrientAdmin(FactAdmin):
    evidence_field = "nutrient"
    list_display = ["name", "kind"]
    list_filter = ["kind"]
    search_fields = ["name", "evidence__passage"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Cause)
class CauseAdmin(FactAdmin):
    evidence_field = "cause"
    list_display = ["name", "category", "nutrient"]
    list_filter = ["category"]
    search_fields = ["name", "evidence__passage"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["nutrient"]


@admin.register(FoodSource)
class FoodSourceAdmin(FactAdmin):
    list_display = ["name", "kind", "category", "diet"]
    list_filter = ["kind", "category", "diet"]
    search_fields = ["name", "nutrientfood__stated_as"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Condition)
class ConditionAdmin(FactAdmin):
    evidence_field = "condition"
    list_display = ["name", "area", "general"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Evidence)
class EvidenceAdmin(FactAdmin):
    list_display = ["__str__", "aspect", "stance", "locator"]
    list_filter = ["stance", "aspect", "article"]
    search_fields = ["passage", "value", "cause__name", "nutrient__name"]
    autocomplete_fields = ["article", "cause", "nutrient", "condition"]
    list_select_related = ["article", "cause", "nutrient", "condition"]
    fields = [
        "article",
        "cause",
        "nutrient",
        "condition",
        "aspect",
        "stance",
        "passage",
        "value",
        "inference",
        "locator",
        "position",
    ]


@admin.register(CauseSymptom)
class CauseSymptomAdmin(FactAdmin):
    list_display = ["__str__", "evidence"]
    autocomplete_fields = ["cause", "symptom", "evidence"]
    search_fields = ["cause__name", "symptom__name"]


@admin.register(CauseBodyArea)
class CauseBodyAreaAdmin(FactAdmin):
    list_display = ["__str__", "evidence"]
    autocomplete_fields = ["cause", "evidence"]
    search_fields = ["cause__name", "body_area__name"]


@admin.register(NutrientFood)
class NutrientFoodAdmin(FactAdmin):
    list_display = ["__str__", "stated_as", "evidence"]
    autocomplete_fields = ["nutrient", "food", "evidence"]
    search_fields = ["nutrient__name", "food__name", "stated_as"]


@admin.register(Symptom, BodyArea)
class LookupAdmin(FactAdmin):
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


admin.site.unregister(Synonym)


@admin.register(Synonym)
class SynonymAdmin(FactAdmin, search_admin.SynonymAdmin):
    """Search synonyms are facts too: what the site treats as meaning the same."""

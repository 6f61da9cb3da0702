"""Annotating a source document: one screen from a passage to a proposed fact.

The editor picks a document, selects or searches a passage in its text, and says
what it is evidence of: which cause, nutrient or condition (or a new cause), which
aspect, and how (supports, qualifies, disputes). A symptom, body area or food comes
with the evidence that states it, on the same screen: adding a food to a nutrient
with its quote is one form. Everything goes into the editor's draft proposal.
"""

from __future__ import annotations

from django import forms
from django.db import transaction
from django.db.models import Max
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.text import slugify

from editorial.models import Proposal, ProposedChange
from editorial.proposals import Action, proposal_record
from knowledge.ledger import POINTS_BACK, whole_sentences
from knowledge.models import (
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
from knowledge.passages import PassageNotFound, locate, occurrences

Aspect = Evidence.Aspect
MAX_MATCHES = 20
NEW_CAUSE = "new"


def document_choices():
    return [("", "Choose a document")] + [
        (document.pk, str(document))
        for document in SourceDocument.objects.filter(article__isnull=False)
    ]


class AnnotationForm(forms.Form):
    """What a passage says, as an editor annotates it."""

    passage = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3, "cols": 80}),
        strip=False,
        help_text="Select it in the text above, or paste it: word for word, whole "
        "sentences. Only spacing may differ.",
    )
    value = forms.CharField(
        required=False,
        max_length=500,
        help_text="The words of the passage that are the value shown, qualifiers "
        "and all (“Low (unless other severe symptoms)”). Empty: the whole passage.",
    )
    subject = forms.ChoiceField(
        label="What it is about",
        choices=[
            ("cause", "A cause"),
            (NEW_CAUSE, "A new cause"),
            ("nutrient", "A nutrient"),
            ("condition", "A condition"),
        ],
        widget=forms.RadioSelect,
    )
    cause = forms.ModelChoiceField(Cause.objects.all(), required=False)
    nutrient = forms.ModelChoiceField(Nutrient.objects.all(), required=False)
    condition = forms.ModelChoiceField(Condition.objects.all(), required=False)
    new_cause_name = forms.CharField(label="New cause", max_length=120, required=False)
    new_cause_category = forms.ChoiceField(
        label="Its category (ours)",
        choices=[("", "---------"), *Cause.Category.choices],
        required=False,
    )
    new_cause_nutrient = forms.ModelChoiceField(
        Nutrient.objects.all(),
        required=False,
        label="Of which nutrient (a deficiency or an excess)",
    )
    aspect = forms.ChoiceField(choices=Aspect.choices)
    stance = forms.ChoiceField(
        choices=Evidence.Stance.choices, initial=Evidence.Stance.SUPPORTS
    )
    symptoms = forms.ModelMultipleChoiceField(
        Symptom.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="For “Accompanying symptoms”: the symptoms the passage names.",
    )
    areas = forms.ModelMultipleChoiceField(
        BodyArea.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Body areas",
        help_text="For “Where it is felt”: only where the passage says so.",
    )
    foods = forms.ModelMultipleChoiceField(
        FoodSource.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="For “Food sources” of a nutrient: the foods the passage names.",
    )
    new_food_name = forms.CharField(label="New food", max_length=100, required=False)
    new_food_category = forms.ChoiceField(
        label="Its category (ours)",
        choices=[("", "---------"), *FoodSource.Category.choices],
        required=False,
    )
    new_food_diet = forms.ChoiceField(
        label="Its diet (ours)",
        choices=[("", "Not clear"), *FoodSource.Diet.choices],
        required=False,
    )
    food_words = forms.CharField(
        label="The source's words for the food",
        max_length=200,
        required=False,
        help_text="As the passage writes it (“leafy greens (kale)”). Empty: its name.",
    )
    inference = forms.CharField(
        max_length=300,
        required=False,
        help_text="Only if the passage names this subject together with others: "
        "say so. It is shown as inferred.",
    )
    locator = forms.CharField(
        max_length=200,
        required=False,
        help_text="Where in the document: a section, or a table and row.",
    )

    def __init__(self, *args, document: SourceDocument, **kwargs):
        super().__init__(*args, **kwargs)
        self.document = document

    def clean(self):
        cleaned = super().clean()
        text = self.document.text
        passage = cleaned.get("passage", "")
        if passage:
            try:
                start, end = locate(text, passage)
            except PassageNotFound as refusal:
                self.add_error("passage", str(refusal))
            else:
                cleaned["passage"] = text[start:end]
                cleaned["start"], cleaned["end"] = start, end
                whole = whole_sentences(text, start, end)
                if whole is not None:
                    self.add_error(
                        "passage",
                        "Quote whole sentences: this passage begins or ends inside "
                        f"one. The whole sentences are: “{whole}”. Put the words "
                        "that matter in “Value”.",
                    )
                elif POINTS_BACK.match(cleaned["passage"]):
                    self.add_error(
                        "passage",
                        "This passage opens by pointing back to words it leaves "
                        "out: select the sentence before it too.",
                    )
        subject = cleaned.get("subject")
        if subject == NEW_CAUSE:
            if not cleaned.get("new_cause_name", "").strip():
                self.add_error("new_cause_name", "Name the new cause.")
            if not cleaned.get("new_cause_category"):
                self.add_error("new_cause_category", "Choose its category.")
            name = cleaned.get("new_cause_name", "")
            if name and Cause.objects.filter(name__iexact=name.strip()).exists():
                self.add_error("new_cause_name", "That cause exists: choose it.")
        elif subject and not cleaned.get(subject):
            self.add_error(subject, f"Choose the {subject}.")
        aspect = cleaned.get("aspect")
        value = cleaned.get("value", "")
        if value and "passage" in cleaned and value not in cleaned["passage"]:
            self.add_error("value", "The value must be words of the passage.")
        if aspect in (Aspect.SYMPTOMS, Aspect.BODY_AREA) and subject not in (
            "cause",
            NEW_CAUSE,
        ):
            self.add_error("subject", "Symptoms and body areas are of a cause.")
        if aspect == Aspect.SYMPTOMS and not cleaned.get("symptoms"):
            self.add_error("symptoms", "Tick the symptoms the passage names.")
        if aspect == Aspect.BODY_AREA and not cleaned.get("areas"):
            self.add_error("areas", "Tick where the passage says it is felt.")
        if aspect == Aspect.FOOD_SOURCES:
            if subject != "nutrient":
                self.add_error("subject", "Food sources are of a nutrient.")
            new_food = cleaned.get("new_food_name", "").strip()
            if not cleaned.get("foods") and not new_food:
                self.add_error("foods", "Tick the foods, or add a new one.")
            if new_food and not cleaned.get("new_food_category"):
                self.add_error("new_food_category", "Choose its category.")
            words = cleaned.get("food_words", "")
            if words and "passage" in cleaned and words not in cleaned["passage"]:
                self.add_error("food_words", "Use the passage's own words.")
        scale = Evidence.GRADED.get(aspect)
        if scale and "passage" in cleaned:
            probe = Evidence(aspect=aspect, value=value, passage=cleaned["passage"])
            if probe.graded() is None:
                labels = ", ".join(f"“{label}”" for label in scale.labels)
                self.add_error(
                    "value", f"This aspect's value must open with one of {labels}."
                )
        return cleaned


@transaction.atomic
def annotation_record(
    *, proposal: Proposal, user, document: SourceDocument, data: dict
) -> list[ProposedChange]:
    """The changes one annotation proposes: the quote, and what comes with it."""
    changes = []

    def record(model, fields) -> ProposedChange:
        change = proposal_record(
            proposal=proposal, user=user, model=model, action=Action.CREATE, data=fields
        )
        changes.append(change)
        return change

    subjects = {"cause": None, "nutrient": None, "condition": None}
    if data["subject"] == NEW_CAUSE:
        name = data["new_cause_name"].strip()
        nutrient = data.get("new_cause_nutrient")
        subjects["cause"] = record(
            Cause,
            {
                "name": name,
                "slug": slugify(name)[:120],
                "category": data["new_cause_category"],
                "nutrient": nutrient.pk if nutrient else None,
            },
        ).ref
    else:
        subjects[data["subject"]] = data[data["subject"]].pk
    position = (Evidence.objects.aggregate(last=Max("position"))["last"] or 0) + 1
    quote = record(
        Evidence,
        {
            "article": document.article.pk,
            **subjects,
            "aspect": data["aspect"],
            "stance": data["stance"],
            "passage": data["passage"],
            "value": data.get("value", ""),
            "inference": data.get("inference", ""),
            "locator": data.get("locator", ""),
            "position": position,
        },
    ).ref
    if data["aspect"] == Aspect.SYMPTOMS:
        for symptom in data["symptoms"]:
            record(
                CauseSymptom,
                {"cause": subjects["cause"], "symptom": symptom.pk, "evidence": quote},
            )
    if data["aspect"] == Aspect.BODY_AREA:
        for area in data["areas"]:
            record(
                CauseBodyArea,
                {"cause": subjects["cause"], "body_area": area.pk, "evidence": quote},
            )
    if data["aspect"] == Aspect.FOOD_SOURCES:
        foods = [food.pk for food in data["foods"]]
        if new_food := data.get("new_food_name", "").strip():
            foods.append(
                record(
                    FoodSource,
                    {
                        "name": new_food,
                        "slug": slugify(new_food)[:100],
                        "kind": FoodSource.Kind.FOOD,
                        "category": data["new_food_category"],
                        "diet": data.get("new_food_diet", ""),
                    },
                ).ref
            )
        names = {food.pk: food.name for food in data["foods"]}
        for food in foods:
            record(
                NutrientFood,
                {
                    "nutrient": subjects["nutrient"],
                    "food": food,
                    "evidence": quote,
                    "stated_as": data.get("food_words") or names.get(food, new_food),
                },
            )
    return changes


def find_passages(text: str, words: str) -> list[dict[str, str]]:
    """Where words occur in a document, each with text either side."""
    found = []
    for start, end in occurrences(text, words)[:MAX_MATCHES]:
        line_start = text.rfind("\n", 0, start) + 1
        line_end = text.find("\n", end)
        line_end = len(text) if line_end == -1 else line_end
        found.append(
            {
                "before": text[line_start:start],
                "match": text[start:end],
                "after": text[end:line_end],
                # What a quote of these words must be: the whole sentences.
                "sentences": whole_sentences(text, start, end) or text[start:end],
            }
        )
    return found


def quoted_text(document: SourceDocument) -> str:
    """The document's text, with every passage a quote cites marked (passages
    that overlap are marked as one stretch)."""
    merged: list[list[int]] = []
    for start, end in sorted(
        Evidence.objects.filter(article__source=document).values_list("start", "end")
    ):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    text, out, position = document.text, [], 0
    for start, end in merged:
        out += [
            escape(text[position:start]),
            "<mark>",
            escape(text[start:end]),
            "</mark>",
        ]
        position = end
    out.append(escape(text[position:]))
    return mark_safe("".join(out))  # escaped piece by piece above

"""The causes table: what might cause a twitch, filtered by what the reader notices."""

from __future__ import annotations

import django_filters as filters
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from knowledge import charts, fragments
from knowledge.models import (
    Article,
    BodyArea,
    Cause,
    CauseBodyArea,
    CauseSymptom,
    Commonality,
    Evidence,
    Symptom,
    Urgency,
)
from knowledge.tables import base, choices, red_flags
from knowledge.tables.cells import (
    Cell,
    Column,
    filtered_links,
    link,
    source_counts,
    stated,
)


def cause_nutrient(cause: Cause) -> Cell:
    cell = link(cause.nutrient)
    if cause.nutrient is None:
        return Cell(placeholder="Not nutrient-related")
    return cell


# Urgency comes straight after the name: it is what a reader most needs to know,
# and on a phone, where each row is a card, it is read first.
CAUSE_COLUMNS = [
    Column("name", "Cause", link, sort="name"),
    Column("urgency", "Urgency", stated(Evidence.Aspect.URGENCY), sort="urgency"),
    Column(
        "category",
        "Category",
        lambda c: Cell(c.get_category_display()),
        editorial=True,
    ),
    Column("mechanism", "Mechanism", stated(Evidence.Aspect.MECHANISM)),
    Column(
        "symptoms",
        "Symptoms",
        lambda c: filtered_links(c.symptoms.all(), "knowledge:cause-list", "symptom"),
    ),
    Column(
        "areas",
        "Where",
        lambda c: filtered_links(c.body_areas.all(), "knowledge:cause-list", "area"),
    ),
    Column(
        "commonality",
        "Commonality",
        stated(Evidence.Aspect.COMMONALITY),
        sort="commonality",
    ),
    Column("action", "Recommended action", stated(Evidence.Aspect.ACTION)),
    Column("nutrient", "Nutrient", cause_nutrient),
    Column("sources", "Sources", source_counts),
]


GRADES = {"urgency", "commonality"}


def rated_urgent() -> Exists:
    """Whether a published source rates a cause's urgency high: the highest
    grade there is, so it is what ``urgency=HIGH`` means after grading, without
    grading every matching cause (an aggregate over all their evidence: 300 ms
    at 100x on SQLite)."""
    return Exists(
        urgent_ratings().filter(cause=OuterRef("pk"), article_id__in=urgent_sources())
    )


def urgent_ratings() -> QuerySet:
    return Evidence.objects.filter(
        aspect=Evidence.Aspect.URGENCY, grade=Cause.Urgency.HIGH
    ).exclude(stance=Evidence.Stance.DISPUTES)


def urgent_sources() -> list[int]:
    """The keys of the live articles that rate some cause's urgency high: a
    few sources, kept for the content version.

    Checking each quote's article instead read the article's row for every
    matching cause, or every live article's key: at 100x on SQLite the two
    queries of the urgent notice took 97 ms.
    """
    return fragments.cached(
        "urgent-sources",
        None,
        lambda: sorted(
            Article.objects.published()
            .filter(pk__in=urgent_ratings().values("article_id"))
            .values_list("pk", flat=True)
        ),
    )


def graded(queryset: QuerySet) -> QuerySet:
    """The causes with their urgency and commonality graded, once."""
    if GRADES <= set(queryset.query.annotations):
        return queryset
    return queryset.with_grades()


class CauseFilter(choices.SuggestingFilterSet):
    area = filters.ModelChoiceFilter(
        widget=base.Select,
        label="Where is the twitch?",
        method="filter_area",
        to_field_name="slug",
        queryset=BodyArea.objects.all(),
        empty_label="Anywhere",
    )
    # Not conjoined: ticking several finds the causes with any of them.
    symptom = filters.ModelMultipleChoiceFilter(
        label="What else do you notice?",
        help_text=(
            "Tick any that apply. The table shows the causes with at least one of"
            " the ticked symptoms."
        ),
        method="filter_symptoms",
        to_field_name="slug",
        queryset=Symptom.objects.all(),
        widget=base.GroupedCheckboxSelectMultiple(groups=red_flags.symptom_groups),
    )
    category = filters.ChoiceFilter(
        widget=base.Select,
        choices=Cause.Category.choices,
        label="Category",
        empty_label=base.ANY,
    )
    commonality = filters.ChoiceFilter(
        widget=base.Select,
        choices=Commonality.choices,
        label="Commonality",
        empty_label=base.ANY,
    )
    urgency = filters.ChoiceFilter(
        widget=base.Select,
        choices=Urgency.choices,
        label="Urgency",
        empty_label=base.ANY,
    )
    nutrient = choices.NamedChoiceFilter(
        choosable=choices.NUTRIENTS, label="Related nutrient"
    )
    q = base.text_filter("Contains the words")
    sort = base.NullsLastOrderingFilter(
        widget=base.SortSelect,
        fields=(
            ("name", "name"),
            ("commonality", "commonality"),
            ("urgency", "urgency"),
        ),
        field_labels={
            "name": "Name, A to Z",  # listed as the empty option: see SortSelect
            "-name": "Name, Z to A",
            "commonality": "Commonality, rarest first",
            "-commonality": "Commonality, most common first",
            "urgency": "Urgency, least urgent first",
            "-urgency": "Urgency, most urgent first",
        },
        label="Sort by",
        empty_label="Name, A to Z",
    )

    class Meta:
        model = Cause
        fields: list[str] = []

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        # Urgency and commonality are graded from the sources' words, to filter
        # and sort by: an aggregate over every cause's evidence, computed only
        # when the filters or the sort need it.
        data = self.form.cleaned_data
        sorts = [value.lstrip("-") for value in data.get("sort") or []]
        if data.get("urgency") or data.get("commonality") or GRADES & set(sorts):
            queryset = graded(queryset)
        return super().filter_queryset(queryset)

    def filter_text(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        """Causes whose name, or what a published source says of them, has the words."""
        quoted = Evidence.objects.published().filter(
            cause=OuterRef("pk"), passage__icontains=value
        )
        return queryset.filter(Q(name__icontains=value) | Exists(quoted))

    # The links are tested, not joined: a cause is listed once however many
    # sources link it to a chosen area or symptom, with no DISTINCT, so the
    # first page of causes by name is read in order and the rest is not.
    def filter_area(self, queryset: QuerySet, name: str, value: BodyArea) -> QuerySet:
        linked = CauseBodyArea.objects.filter(cause=OuterRef("pk"), body_area=value)
        return queryset.filter(Exists(linked))

    def filter_symptoms(self, queryset: QuerySet, name: str, value) -> QuerySet:
        if not value:  # none ticked: django-filter calls a method all the same
            return queryset
        linked = CauseSymptom.objects.filter(cause=OuterRef("pk"), symptom__in=value)
        return queryset.filter(Exists(linked))


class CauseListView(base.TableView):
    model = Cause
    filterset_class = CauseFilter
    template_name = "knowledge/cause_list.html"
    columns = CAUSE_COLUMNS
    export_name = "causes"
    noun, noun_plural = "cause", "causes"

    def decorate(self, queryset: QuerySet) -> QuerySet:
        return (
            queryset.with_relations().with_evidence().with_source_counts().with_grades()
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if context["filtered"]:
            # The urgent matches, on whichever page of the table they fall: the
            # first few by name and how many there are in all, found once per
            # content version for each combination of filters (the table's sort
            # does not change them); each list is rendered once too.
            shown, total = self.kept_for_matches(
                "urgent-found", lambda: urgent_found(self.object_list)
            )
            context["urgent"] = shown
            context["urgent_total"] = total
            context["urgent_list"] = fragments.cached(
                "urgent-causes", shown, lambda: urgent_list(shown)
            )
            context["urgent_url"] = urgent_filter_url(self.request)
        context["chart"] = fragments.cached(
            "cause-chart",
            tuple(self.page_keys),
            lambda: charts.cause_matrix_svg(self.page_objects()),
        )
        return context


# The "See a doctor" notice names at most this many urgent causes, and links to
# the table of them all.
URGENT_SHOWN = 10


def urgent_found(matches: QuerySet) -> tuple[tuple[int, ...], int]:
    """The keys of the first few urgent causes among the matches, by name, and
    how many there are. (The query is built only when it is to be run: building
    it was a fifth of the table's CPU when the answer was kept.)"""
    urgent = matches.filter(rated_urgent()).order_by("name", "pk")
    keys = list(urgent.values_list("pk", flat=True)[: URGENT_SHOWN + 1])
    total = urgent.count() if len(keys) > URGENT_SHOWN else len(keys)
    return tuple(keys[:URGENT_SHOWN]), total


def urgent_list(keys: tuple[int, ...]) -> SafeString:
    """The urgent causes, each linked, with what the sources say of seeing a
    doctor about it."""
    found = Cause.objects.filter(pk__in=keys).with_evidence().in_bulk()
    causes = [found[pk] for pk in keys if pk in found]
    return render_to_string("includes/_urgent_causes.html", {"causes": causes})


def urgent_filter_url(request) -> str:
    """This table's address with its filters, narrowed to the urgent causes."""
    query = request.GET.copy()
    query.pop("page", None)
    query["urgency"] = str(Cause.Urgency.HIGH)
    return f"{request.path}?{query.urlencode()}"

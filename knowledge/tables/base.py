"""What every comparison table shares: the view, its filters' building blocks, and
choice widgets whose rendered HTML is cached.

A table is a ``FilterSet`` plus a ``TableView``, with columns (``cells``); each table
has a module of its own (``causes``, ``nutrients``, ``foods``). Every filter's state
lives in the URL.
"""

from __future__ import annotations

import copy
import hashlib
import logging
from collections.abc import Callable
from http import HTTPStatus
from typing import TypeVar

import django_filters as filters
from django import forms
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import FieldDoesNotExist
from django.db.models import F, Q, QuerySet
from django.http import HttpResponse, HttpResponseBadRequest, QueryDict
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django_filters.views import FilterView
from django_ratelimit.core import is_ratelimited
from django_ratelimit.exceptions import Ratelimited

from knowledge import fragments
from knowledge.models import FoodSource
from knowledge.tables import cells, wording

logger = logging.getLogger(__name__)
T = TypeVar("T")

SEARCH_MAX_LENGTH = 100
ANY = "Any"
EXPORT_FORMATS = {
    "csv": ("text/csv; charset=utf-8", cells.to_csv),
    "json": ("application/json", cells.to_json),
}
# Requests per client per minute, from settings.RATE_LIMITS (see twitchsite).
EXPORT_RATE = "twitchsite.clients.rate_limit"


# -- filters -------------------------------------------------------------------------


class CachedRenderMixin:
    """A Django choice widget whose rendered HTML is cached.

    Django renders each option through its templates: for the causes table's
    filters that is about 3 ms of a page. The HTML depends only on the widget's
    name, attributes, options and chosen values, so it is cached under exactly
    those. Only chosen values that are options are cached, so made-up values
    cannot fill the cache.
    """

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        # Read a model field's options once, for the key and for rendering.
        self.choices = list(iter(self.choices))  # iter: no COUNT query first
        chosen = tuple(self.format_value(value))
        choices = [(str(option), str(label)) for option, label in self.choices]
        if not set(chosen) <= {option for option, _label in choices}:
            return super().render(name, value, attrs, renderer)
        described = repr(
            (
                type(self).__name__,
                name,
                chosen,
                sorted((attrs or {}).items()),
                choices,
                self.cache_variant(),
            )
        )
        key = f"widget:{hashlib.sha256(described.encode()).hexdigest()}"
        try:
            html = cache.get(key)
        except Exception:  # noqa: BLE001 - the cache is down: render every time
            logger.warning("Cache unreachable: widget %s rendered uncached", name)
            return super().render(name, value, attrs, renderer)
        if html is None:
            html = super().render(name, value, attrs, renderer)
            try:
                cache.set(key, str(html), timeout=settings.FRAGMENT_CACHE_SECONDS)
            except Exception:  # noqa: BLE001
                logger.warning("Cache unreachable: widget %s not stored", name)
        # Safe: rendered, and so escaped, by Django's own widget templates.
        return mark_safe(html)

    def cache_variant(self) -> str:
        """Anything else the HTML depends on, for the cache key."""
        return ""


class Select(CachedRenderMixin, forms.Select):
    pass


class CheckboxSelectMultiple(CachedRenderMixin, forms.CheckboxSelectMultiple):
    pass


class SortSelect(Select):
    """A sort menu whose empty option is the table's own order, by name.

    Sorting by name ascending (``name``, where a column header links) is that
    same order: it stays a valid choice but is not listed twice. Chosen, it shows
    as the empty option, which has its label.
    """

    def optgroups(self, name, value, attrs=None):
        groups = [
            (group, [option for option in options if option["value"] != "name"], i)
            for group, options, i in super().optgroups(name, value, attrs)
        ]
        return [(group, options, i) for group, options, i in groups if options]


class GroupedCheckboxSelectMultiple(CheckboxSelectMultiple):
    """Checkboxes in groups, each a fieldset with a legend of its own.

    ``groups`` returns ``(legend, class, values)`` for each group, in order. The
    last group's values are ``None``: it takes every option the others do not
    name, so no option is ever left out. A group with no options is not shown.
    Each group's checkboxes are the markup Django's own template writes, in one
    field: the filter works as an ungrouped one does.
    """

    def __init__(self, attrs=None, choices=(), *, groups: Callable[[], list]):
        super().__init__(attrs, choices)
        self.groups = groups

    def cache_variant(self) -> str:
        return repr(self.groups())

    def _render(self, template_name, context, renderer=None) -> SafeString:
        widget = context["widget"]
        groups = self.groups()
        named = [values for _legend, _class, values in groups[:-1]]
        members: list[list[dict]] = [[] for _ in groups]
        for _, options, _ in widget["optgroups"]:
            for option in options:
                value = str(option["value"])
                index = next(
                    (i for i, values in enumerate(named) if value in values), -1
                )
                members[index].append(option)
        # Only the wrapper carries the field's id; each checkbox keeps its own.
        attrs = {key: value for key, value in widget["attrs"].items() if key != "id"}
        fieldsets = []
        for (legend, css_class, _values), group in zip(groups, members, strict=True):
            if not group:
                continue
            one_group = {**widget, "attrs": attrs, "optgroups": [(None, group, 0)]}
            checkboxes = super()._render(template_name, {"widget": one_group}, renderer)
            fieldsets.append(
                format_html(
                    '<fieldset class="{}"><legend>{}</legend>{}</fieldset>',
                    css_class,
                    legend,
                    checkboxes,
                )
            )
        element_id = widget["attrs"].get("id")
        return format_html(
            "<div{}>{}</div>",
            format_html(' id="{}"', element_id) if element_id else "",
            mark_safe("".join(fieldsets)),  # each built by format_html
        )


class TableFilterSet(filters.FilterSet):
    """A FilterSet whose filters are copied shallowly for each request.

    django-filter deep-copies every declared filter for each request, with the
    querysets and choices they hold: 2 ms of the causes table's 8 ms of CPU at
    1x. A filter's own state is its ``model``, its ``parent`` and its bound
    method, set here on its copy; what it holds is only read.
    """

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        if queryset is None:
            queryset = self._meta.model._default_manager.all()
        self.is_bound = data is not None
        self.data = data or QueryDict()
        self.queryset = queryset
        self.request = request
        self.form_prefix = prefix
        self.filters = {name: copy.copy(f) for name, f in self.base_filters.items()}
        for filter_ in self.filters.values():
            filter_.model = queryset.model
            filter_.parent = self
            if filter_.method is not None:
                # Bind the filter method to this copy, whose parent this is.
                filter_.method = filter_.method


class NullsLastOrderingFilter(filters.OrderingFilter):
    """Sort by the chosen column, keeping "not stated" values at the end.

    Rows that tie on the column follow by name, then by key: a unique tie-breaker,
    without which PostgreSQL may give tied rows in another order on each query,
    and page 2 would repeat or skip rows of page 1.
    """

    def filter(self, qs: QuerySet, value) -> QuerySet:
        if not value:
            return qs.order_by("name", "pk")
        ordering = []
        for param in value:
            name = self.param_map.get(param.lstrip("-"))
            if name is None:
                continue
            # Only a value that may be missing is placed: a column that is never
            # null is sorted plainly, so an index can give its order.
            last = {"nulls_last": True} if may_be_null(qs, name) else {}
            expression = F(name)
            ordering.append(
                expression.desc(**last)
                if param.startswith("-")
                else expression.asc(**last)
            )
        return qs.order_by(*ordering, "name", "pk")


def may_be_null(qs: QuerySet, name: str) -> bool:
    """Whether a column, or an annotation such as a grade, may be null."""
    try:
        return qs.model._meta.get_field(name).null
    except FieldDoesNotExist:
        return True


def text_filter(label: str) -> filters.CharFilter:
    return filters.CharFilter(
        label=label,
        method="filter_text",
        max_length=SEARCH_MAX_LENGTH,
        widget=forms.TextInput(attrs={"type": "search"}),
    )


def diet_q(prefix: str, diet: str) -> Q:
    """Foods suitable for a diet: vegetarian includes vegan foods."""
    allowed = [FoodSource.Diet.VEGAN]
    if diet == FoodSource.Diet.VEGETARIAN:
        allowed.append(FoodSource.Diet.VEGETARIAN)
    return Q(**{f"{prefix}diet__in": allowed})


DIET_CHOICES = [
    (FoodSource.Diet.VEGAN, "Vegan"),
    (FoodSource.Diet.VEGETARIAN, "Vegetarian (includes vegan)"),
]


# -- the view ------------------------------------------------------------------------


def table_headers(columns: list[cells.Column], current: str) -> list[dict]:
    """Column headers with the link that sorts by them, and their aria-sort state."""
    headers = []
    for column in columns:
        header = {
            "label": column.label,
            "next_sort": "",
            "aria_sort": "",
            "editorial": column.editorial,
        }
        if column.sort:
            if current == column.sort:
                header |= {"aria_sort": "ascending", "next_sort": f"-{column.sort}"}
            elif current == f"-{column.sort}":
                header |= {"aria_sort": "descending", "next_sort": column.sort}
            else:
                header["next_sort"] = column.sort
        header["next_label"] = (
            "descending" if header["next_sort"].startswith("-") else "ascending"
        )
        headers.append(header)
    return headers


class TableView(FilterView):
    """A comparison table: filters in the URL, CSV and JSON exports of its rows.

    The page shows ``paginate_by`` rows at a time; the exports hold every row that
    matches. Filtering and sorting run on the plain table, and fetch only the
    matching rows' keys; the rows shown are then fetched with their related values
    (``decorate``).
    """

    columns: list[cells.Column]
    export_name: str
    # What one row is, and several: "cause", "causes".
    noun: str
    noun_plural: str
    paginate_by = 25
    model: type
    # The query parameters the page reads, for the page cache's key: the filters
    # (the sort among them) and the page number; the exports' format is not cached.
    query_parameters: frozenset[str]

    def __init_subclass__(cls, **kwargs) -> None:
        super().__init_subclass__(**kwargs)
        if filterset_class := getattr(cls, "filterset_class", None):
            cls.query_parameters = frozenset(filterset_class.base_filters) | {"page"}

    def get_queryset(self) -> QuerySet:
        return self.model.objects.order_by("name", "pk")

    def decorate(self, queryset: QuerySet) -> QuerySet:
        """Add what the columns show: related rows and source counts."""
        return queryset

    def get(self, request, *args, **kwargs):
        export = request.GET.get("format", "")
        if export and export not in EXPORT_FORMATS:
            return HttpResponseBadRequest(
                "Unknown format: use format=csv or format=json.",
                content_type="text/plain; charset=utf-8",
            )
        if export:
            limited = is_ratelimited(
                request, group="export", key="ip", rate=EXPORT_RATE, increment=True
            )
            if limited:
                raise Ratelimited
            return self.export(export)
        response = super().get(request, *args, **kwargs)
        if self.filterset.is_bound and not self.filterset.is_valid():
            response.status_code = HTTPStatus.BAD_REQUEST
        return response

    def filter_state(self, form: forms.Form, *, but: frozenset = frozenset()) -> tuple:
        """The values of the form's own fields, but those named."""
        return tuple(
            sorted(
                (key, tuple(values))
                for key, values in form.data.lists()
                if key in form.fields and key not in but
            )
        )

    def matches_key(self) -> tuple | None:
        """What decides which rows match: the table and its filters' values, the
        sort aside. None for a form with errors, whose made-up values are not
        kept."""
        form = self.filterset.form
        if form.errors:
            return None
        return (self.export_name, self.filter_state(form, but=frozenset({"sort"})))

    def kept_for_matches(self, name: str, compute: Callable[[], T]) -> T:
        """``compute()``, kept for the content version under ``name`` and the
        rows that match (``matches_key``)."""
        key = self.matches_key()
        return compute() if key is None else fragments.cached(name, key, compute)

    def get_paginator(self, queryset, per_page, **kwargs):
        # The matches of each combination of filters are counted once per content
        # version: counting reads every match, 1.2 of the causes table's 8.4 ms
        # at 100x on SQLite, and 38 of its 42 ms of wall time on PostgreSQL.
        key = self.matches_key()
        if key is None:
            return super().get_paginator(queryset, per_page, **kwargs)
        return fragments.KeptCountPaginator(
            queryset, per_page, kept_as=("table-count", key), **kwargs
        )

    def filter_fields(self, form: forms.Form) -> SafeString:
        """The filter form's fields, rendered once per content version for each
        combination of values the form accepts: rendering them through Django's
        templates was 4.5 of the foods table's 7.7 ms of CPU at 1x. A form with
        errors is rendered afresh, its errors and the values typed with it."""
        if form.errors:
            return form.as_div()
        # The values of the form's own fields: every page of a table shares it.
        state = self.filter_state(form)
        html = fragments.cached(
            "filter-fields", (self.export_name, state), lambda: str(form.as_div())
        )
        # Safe: rendered, and so escaped, by Django's form templates.
        return mark_safe(html)

    def page_objects(self) -> list:
        """The rows on this page, with what their columns and charts show."""
        missing = [pk for pk in self.page_keys if pk not in self.decorated]
        if missing:
            self.decorate_rows(missing)
        return [self.decorated[pk] for pk in self.page_keys]

    def decorate_rows(self, keys: list[int]) -> list:
        """Fetch these rows with what their columns show, and keep them."""
        objects = list(self.decorate(self.model.objects.filter(pk__in=keys)))
        self.decorated |= {obj.pk: obj for obj in objects}
        return objects

    def render_rows(self, keys: list[int]) -> dict[int, str]:
        """The HTML of the rows with these keys, by key."""
        return {
            obj.pk: str(cells.body_html(cells.rows([obj], self.columns), self.columns))
            for obj in self.decorate_rows(keys)
        }

    def export(self, export: str) -> HttpResponse:
        filterset = self.get_filterset(self.get_filterset_class())
        if filterset.is_bound and not filterset.is_valid():
            errors = filterset.form.errors.as_text()
            return HttpResponseBadRequest(
                f"Invalid filter:\n{errors}", content_type="text/plain"
            )
        rows = cells.rows(self.decorate(filterset.qs), self.columns)
        content_type, render_rows = EXPORT_FORMATS[export]
        response = HttpResponse(render_rows(rows, self.columns), content_type)
        response["Content-Disposition"] = (
            f'attachment; filename="{self.export_name}.{export}"'
        )
        return response

    def get_context_data(self, **kwargs):
        # Count and page the matching rows' keys in the database, then show the
        # page's rows: each row's HTML is rendered once per content version and
        # shared by every filter combination and page that shows it.
        kwargs.pop("object_list", None)
        keys = self.object_list.values_list("pk", flat=True)
        context = super().get_context_data(object_list=keys, **kwargs)
        self.page_keys = page_keys = list(context["object_list"])
        self.decorated: dict[int, object] = {}
        rendered = fragments.cached_many(
            f"table-row:{self.export_name}", page_keys, self.render_rows
        )
        total = context["paginator"].count
        context["object_list"] = page_keys
        # Safe: each row was built by cells.body_html, which escapes every value.
        context["table_body"] = mark_safe("".join(rendered[pk] for pk in page_keys))
        form = self.filterset.form
        context["filter_fields"] = self.filter_fields(form)
        context["columns"] = self.columns
        context["rows"] = page_keys
        context["total"] = total
        # Every value of a parameter counts: a filter's empty text field is sent
        # after its ticked checkboxes, under the same name.
        context["filtered"] = filtered = form.is_bound and any(
            value
            for key, values in form.data.lists()
            if key not in {"sort", "format", "page"}
            for value in values
        )
        context["headers"] = table_headers(self.columns, form.data.get("sort", ""))
        paginated = context["is_paginated"]
        nouns = (self.noun, self.noun_plural)
        context |= {
            "noun": self.noun,
            "noun_plural": self.noun_plural,
            "result_count": wording.result_count(
                total,
                *nouns,
                filtered=filtered,
                page=context["page_obj"] if paginated else None,
            ),
            "download_label": wording.download_label(total, paginated=paginated),
            "rows_shown": wording.counted(len(page_keys), *nouns),
        }
        return context

import re
from http import HTTPStatus

from django.core.files.storage import default_storage
from django.db.models import Prefetch, QuerySet
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseForbidden,
    JsonResponse,
)
from django.shortcuts import get_object_or_404, render
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_POST
from django.views.generic import DetailView, ListView, TemplateView
from django_filters.views import FilterView

from knowledge import charts, tables
from knowledge.filters import CauseFilter, FoodFilter, NutrientFilter
from knowledge.forms import SearchForm
from knowledge.markdown import render_markdown
from knowledge.models import (
    Article,
    Cause,
    Evidence,
    FoodSource,
    Nutrient,
    SearchDocument,
    SourceDocument,
)
from knowledge.ratelimit import over_limit, too_many_requests
from knowledge.search import search
from knowledge.structured_data import article_json_ld, cause_json_ld
from knowledge.uploads import (
    MAX_UPLOAD_BYTES,
    UPLOAD_DIR,
    UploadRefused,
    store_image,
)

EXPORT_FORMATS = {
    "csv": ("text/csv; charset=utf-8", tables.to_csv),
    "json": ("application/json", tables.to_json),
}


def evidence_prefetch(lookup: str = "evidence", **filters) -> Prefetch:
    """Evidence from published articles only, with the article it comes from.

    Build it per request: ``published()`` reads the clock when it is called.
    """
    return Prefetch(
        lookup,
        queryset=Evidence.objects.select_related("article").filter(
            article__in=Article.objects.published(), **filters
        ),
    )


def group_evidence(evidence) -> list[tuple[str, list[Evidence]]]:
    """Evidence grouped by aspect, in the order the aspects are declared."""
    groups: dict[str, list[Evidence]] = {}
    for item in evidence:
        groups.setdefault(item.aspect, []).append(item)
    return [
        (label, groups[value])
        for value, label in Evidence.Aspect.choices
        if value in groups and value != Evidence.Aspect.NAME
    ]


class EvidenceContextMixin:
    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        evidence = list(self.object.evidence.all())
        context["evidence_groups"] = group_evidence(evidence)
        context["disputed"] = any(
            item.stance != Evidence.Stance.SUPPORTS for item in evidence
        )
        return context


def table_headers(columns: list[tables.Column], current: str) -> list[dict]:
    """Column headers with the link that sorts by them, and their aria-sort state."""
    headers = []
    for column in columns:
        header = {"label": column.label, "next_sort": "", "aria_sort": ""}
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


class HomeView(TemplateView):
    template_name = "knowledge/home.html"
    latest_count = 5

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        latest = Article.objects.published().for_listing()
        context["articles"] = latest[: self.latest_count]
        return context


class ArticleListView(ListView):
    context_object_name = "articles"
    paginate_by = 20

    def get_queryset(self):
        return Article.objects.published().for_listing()


class ArticleDetailView(DetailView):
    context_object_name = "article"

    def get_queryset(self):
        return (
            Article.objects.published()
            .select_related("source", "live_reviewed_by__reviewer_profile")
            # Readers see the live copy: the working text and the source's
            # full text stay in the database.
            .defer("body", "body_html", "toc", "source__text")
            .prefetch_related(
                Prefetch("nutrients", Nutrient.objects.only("name", "slug")),
                Prefetch("causes", Cause.objects.only("name", "slug")),
            )
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["json_ld"] = article_json_ld(self.object, self.request)
        return context


def article_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """The working version of an article in the site's own templates, for staff.

    Never indexed and never cached: it may hold text no reviewer has seen.
    """
    user = request.user
    if not (
        user.is_active and user.is_staff and user.has_perm("knowledge.view_article")
    ):
        return HttpResponseForbidden("Only editors may preview articles.")
    article = get_object_or_404(
        Article.objects.select_related("source", "reviewed_by__reviewer_profile"), pk=pk
    )
    article.take_live_copy()  # in memory only: the page shows the working version
    context = {
        "article": article,
        "preview": True,
        "json_ld": "",
    }
    response = render(request, "knowledge/article_detail.html", context)
    response["X-Robots-Tag"] = "noindex, nofollow"
    patch_cache_control(response, no_store=True, private=True, max_age=0)
    return response


class TableView(FilterView):
    """A comparison table: filters in the URL, CSV and JSON exports of its rows.

    The page shows ``paginate_by`` rows at a time; the exports hold every row that
    matches. Filtering and sorting run on the plain table, and fetch only the
    matching rows' keys; the rows shown are then fetched with their related values
    (``decorate``).
    """

    columns: list[tables.Column]
    export_name: str
    paginate_by = 25
    model: type

    def get_queryset(self) -> QuerySet:
        return self.model.objects.order_by("name")

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
        if export and over_limit(request, "export"):
            return too_many_requests()
        if export:
            return self.export(export)
        response = super().get(request, *args, **kwargs)
        if self.filterset.is_bound and not self.filterset.is_valid():
            response.status_code = HTTPStatus.BAD_REQUEST
        return response

    def export(self, export: str) -> HttpResponse:
        filterset = self.get_filterset(self.get_filterset_class())
        if filterset.is_bound and not filterset.is_valid():
            errors = filterset.form.errors.as_text()
            return HttpResponseBadRequest(
                f"Invalid filter:\n{errors}", content_type="text/plain"
            )
        rows = tables.rows(self.decorate(filterset.qs), self.columns)
        content_type, render_rows = EXPORT_FORMATS[export]
        response = HttpResponse(render_rows(rows, self.columns), content_type)
        response["Content-Disposition"] = (
            f'attachment; filename="{self.export_name}.{export}"'
        )
        return response

    def get_context_data(self, **kwargs):
        # Paginate the matching rows' keys, then fetch the page's rows in full.
        kwargs.pop("object_list", None)
        keys = list(self.object_list.values_list("pk", flat=True))  # counted here
        context = super().get_context_data(object_list=keys, **kwargs)
        page_keys = list(context["object_list"])
        found = self.decorate(self.model.objects.filter(pk__in=page_keys)).in_bulk()
        objects = [found[pk] for pk in page_keys]
        context["object_list"] = objects
        form = self.filterset.form
        context["columns"] = self.columns
        context["rows"] = tables.rows(objects, self.columns)
        context["table_body"] = tables.body_html(context["rows"])
        context["total"] = len(keys)
        context["filtered"] = form.is_bound and any(
            value
            for key, value in form.data.items()
            if key not in {"sort", "format", "page"}
        )
        context["headers"] = table_headers(self.columns, form.data.get("sort", ""))
        return context


class CauseListView(TableView):
    model = Cause
    filterset_class = CauseFilter
    template_name = "knowledge/cause_list.html"
    columns = tables.CAUSE_COLUMNS
    export_name = "causes"

    def decorate(self, queryset: QuerySet) -> QuerySet:
        return queryset.with_relations().with_source_counts()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if context["filtered"]:
            # Every urgent match, on whichever page of the table it falls.
            context["urgent"] = self.object_list.filter(urgency=Cause.Urgency.HIGH)
        context["chart"] = charts.cause_matrix_svg(context["object_list"])
        return context


class NutrientListView(TableView):
    model = Nutrient
    filterset_class = NutrientFilter
    template_name = "knowledge/nutrient_list.html"
    columns = tables.NUTRIENT_COLUMNS
    export_name = "nutrients"

    def decorate(self, queryset: QuerySet) -> QuerySet:
        return queryset.with_relations().with_source_counts()


class FoodListView(TableView):
    model = FoodSource
    filterset_class = FoodFilter
    template_name = "knowledge/foodsource_list.html"
    columns = tables.FOOD_COLUMNS
    export_name = "foods"

    def decorate(self, queryset: QuerySet) -> QuerySet:
        return queryset.with_relations()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        foods = context["object_list"]
        nutrients = sorted(
            {n for food in foods for n in food.nutrients.all()}, key=lambda n: n.name
        )
        provides = {(f.pk, n.pk) for f in foods for n in f.nutrients.all()}
        context["chart"] = charts.food_nutrient_matrix_svg(foods, nutrients, provides)
        return context


class NutrientDetailView(EvidenceContextMixin, DetailView):
    context_object_name = "nutrient"

    def get_queryset(self):
        return Nutrient.objects.with_relations().prefetch_related(
            evidence_prefetch(),
            evidence_prefetch("causes__evidence", aspect=Evidence.Aspect.LINK),
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # What the sources say about deficiency or excess of this nutrient is
        # evidence about its causes: that is where they disagree.
        context["cause_evidence"] = [
            (cause, list(cause.evidence.all())) for cause in self.object.causes.all()
        ]
        context["disputed"] = context["disputed"] or any(
            item.stance != Evidence.Stance.SUPPORTS
            for _, items in context["cause_evidence"]
            for item in items
        )
        return context


class CauseDetailView(EvidenceContextMixin, DetailView):
    context_object_name = "cause"

    def get_queryset(self):
        return Cause.objects.with_relations().prefetch_related(
            evidence_prefetch(),
            Prefetch("nutrient__foods", queryset=FoodSource.objects.distinct()),
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["json_ld"] = cause_json_ld(self.object, self.request)
        return context


class FoodDetailView(DetailView):
    context_object_name = "food"

    def get_queryset(self):
        return FoodSource.objects.with_relations().prefetch_related("nutrients__causes")


class AboutView(TemplateView):
    template_name = "knowledge/about.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["sources"] = SourceDocument.objects.filter(
            Article.published_q("article__")
        ).select_related("article")
        return context


def search_view(request: HttpRequest) -> HttpResponse:
    """Site search over articles, causes, nutrients and foods."""
    if over_limit(request, "search"):
        return too_many_requests()
    form = SearchForm(request.GET)
    if not form.is_valid():
        if request.GET.get("format") == "json":
            return JsonResponse({"errors": form.errors}, status=HTTPStatus.BAD_REQUEST)
        context = {"form": form, "results": None}
        return render(
            request, "knowledge/search.html", context, status=HTTPStatus.BAD_REQUEST
        )
    data = form.cleaned_data
    query = data["q"].strip()
    results = (
        search(query, kind=data["type"], page=data["page"] or 1) if query else None
    )
    if data["format"] == "json":
        return JsonResponse(
            {
                "query": query,
                "count": results.count if results else 0,
                "results": [hit.as_json() for hit in results.hits] if results else [],
            }
        )
    context = {"form": form, "results": results, "query": query}
    if results is not None:
        context |= {
            "kinds": [
                {
                    "value": value,
                    "label": f"{label}s",
                    "count": results.counts.get(value, 0),
                }
                for value, label in SearchDocument.Kind.choices
            ],
            "previous_page": results.page - 1,
            "next_page": results.page + 1,
        }
        if not results.count:
            context["popular"] = Nutrient.objects.order_by("name")
    return render(request, "knowledge/search.html", context)


def robots_txt(request: HttpRequest) -> HttpResponse:
    sitemap = request.build_absolute_uri("/sitemap.xml")
    lines = ["User-agent: *", "Disallow: /admin/", f"Sitemap: {sitemap}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


PREVIEW_MAX_BYTES = 100_000


def is_editor(user) -> bool:
    """Staff who may write articles: the only users of the editor's endpoints."""
    return (
        user.is_active
        and user.is_staff
        and (
            user.has_perm("knowledge.change_article")
            or user.has_perm("knowledge.add_article")
        )
    )


@require_POST
def markdown_preview(request: HttpRequest) -> HttpResponse:
    """The editor's live preview, rendered exactly as the public page renders it.

    Replaces django-markdownx's own view, which any anonymous visitor may call.
    """
    if not is_editor(request.user):
        return HttpResponseForbidden("Only editors may preview articles.")
    content = request.POST.get("content", "")
    if len(content.encode("utf-8", errors="replace")) > PREVIEW_MAX_BYTES:
        return HttpResponse(
            "This text is too long to preview (over 100 KB).",
            status=HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
        )
    return HttpResponse(render_markdown(content))


@require_POST
def markdown_image_upload(request: HttpRequest) -> HttpResponse:
    """The editor's image upload: raster images only, re-encoded, random names.

    Answers as django-markdownx's widget expects: the Markdown to insert, or the
    reason for refusing as a form error.
    """
    if not is_editor(request.user):
        return JsonResponse(
            {"image": ["Only editors may upload images."]},
            status=HTTPStatus.FORBIDDEN,
        )
    upload = request.FILES.get("image")
    if upload is None:
        return JsonResponse(
            {"image": ["Choose an image to upload."]}, status=HTTPStatus.BAD_REQUEST
        )
    if upload.size > MAX_UPLOAD_BYTES:
        return JsonResponse(
            {"image": ["The image is larger than 5 MB."]},
            status=HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
        )
    try:
        url = store_image(upload.read())
    except UploadRefused as refusal:
        return JsonResponse(
            {"image": [str(refusal)]}, status=HTTPStatus.UNSUPPORTED_MEDIA_TYPE
        )
    return JsonResponse({"image_code": f"![]({url})"})


MEDIA_TYPES = {
    "png": "image/png",
    "jpg": "image/jpeg",
    "webp": "image/webp",
    "gif": "image/gif",
}
UPLOADED_NAME = re.compile(r"[0-9a-f]{32}\.(png|jpg|webp|gif)")


def uploaded_image(request: HttpRequest, name: str) -> HttpResponse:
    """An editor's uploaded image, when the app serves media itself.

    Only names the upload view makes are served, always as the image type their
    extension says, never sniffed and sandboxed, so a file can never act as a page
    of this site. In production, object storage serves media (see the README).
    """
    match = UPLOADED_NAME.fullmatch(name)
    path = f"{UPLOAD_DIR}/{name}"
    if not match or not default_storage.exists(path):
        raise Http404("No such image.")
    response = FileResponse(
        default_storage.open(path), content_type=MEDIA_TYPES[match.group(1)]
    )
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response["X-Content-Type-Options"] = "nosniff"
    patch_cache_control(response, public=True, max_age=7 * 24 * 3600)
    return response

"""The site-wide audit log: who changed what, and when, in the articles and in the
knowledge base.

Every article and every fact keeps its versions (django-simple-history: a table of
versions per model, written on each save and delete, with the user of the request
and the reason given). The audit log reads them all as one list: a union of those
tables, newest first, filtered by user, model and date and paginated in the
database, so a page costs the same however long the history grows. For the rows
of one page it then reads each version and the one before it, to name what was
changed and which of its fields.

Why not django-auditlog, which keeps one table of changes with an admin of its
own: it would be a second record of every save beside simple-history's, which the
site needs anyway (comparing and restoring versions, and knowing who wrote the
version under review, ``editorial.authorship``). Two records of one save can
disagree, and every save would write both. Why a step was taken is in the
workflow's log (``ArticleTransition``), and the version it saved carries the same
reason. One record, read across models, is enough.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.db.models import CharField, OuterRef, Prefetch, Q, Subquery, Value
from django.urls import NoReverseMatch, reverse

from editorial import facts
from knowledge.models import Article

KINDS = {"+": "Added", "~": "Changed", "-": "Deleted"}
# A row of ``audit_rows``: the version's time, its model's label, its key, and the
# rest of what the list shows of it.
COLUMNS = (
    "history_date",
    "model",
    "history_id",
    "history_type",
    "history_user_id",
    "history_change_reason",
    "id",
)


def audited_models(user=None) -> list[type[models.Model]]:
    """Articles and every fact; with ``user``, those they may see."""
    found = [Article, *facts.fact_models()]
    if user is None:
        return found
    return [
        model
        for model in found
        if user.has_perm(f"{model._meta.app_label}.view_{model._meta.model_name}")
    ]


def audit_rows(
    *,
    models: Sequence[type[models.Model]],
    user_id: int | None = None,
    since: date | None = None,
    until: date | None = None,
) -> models.QuerySet:
    """Every version of ``models``, newest first, as tuples of ``COLUMNS``: one query
    (a union of their version tables), lazy, to paginate."""
    parts = []
    for model in models:
        versions = model.history.all()
        if user_id is not None:
            versions = versions.filter(history_user_id=user_id)
        if since is not None:
            versions = versions.filter(history_date__date__gte=since)
        if until is not None:
            versions = versions.filter(history_date__date__lte=until)
        label = Value(model._meta.label_lower, output_field=CharField())
        parts.append(versions.order_by().annotate(model=label).values_list(*COLUMNS))
    if not parts:
        return Article.history.none().values_list("history_id")
    rows = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    return rows.order_by("-history_date", "model", "-history_id")


@dataclass(frozen=True)
class Entry:
    """One change: when, who, to what, and which fields."""

    when: datetime
    user: object | None
    model: type[models.Model]
    object_id: int
    kind: str
    name: str
    changed: list[str]
    reason: str
    url: str

    @property
    def model_name(self) -> str:
        return str(self.model._meta.verbose_name)


def audit_entries(rows: Sequence[tuple]) -> list[Entry]:
    """The entries for rows of ``audit_rows`` (a page): a few queries per model."""
    keys = defaultdict(list)
    for row in rows:
        keys[row[1]].append(row[2])
    found = {}
    for label, ids in keys.items():
        model = apps.get_model(label)
        for record, name, changed in _versions(model, ids):
            found[label, record.history_id] = (name, changed)
    users = get_user_model().objects.in_bulk({row[4] for row in rows if row[4]})
    entries = []
    for when, label, history_id, kind, user_id, reason, object_id in rows:
        model = apps.get_model(label)
        name, changed = found.get((label, history_id), ("", []))
        entries.append(
            Entry(
                when=when,
                user=users.get(user_id),
                model=model,
                object_id=object_id,
                kind=KINDS.get(kind, kind),
                name=name or f"{model._meta.verbose_name} {object_id}",
                changed=changed,
                reason=reason or "",
                url="" if kind == "-" else _change_url(model, object_id),
            )
        )
    return entries


def _versions(model: type[models.Model], ids: list[int]):
    """Each version asked for, with its object's name then and the names of the
    fields that changed from the version before it."""
    history = model.history.model
    before = (
        history.objects.filter(id=OuterRef("id"))
        .filter(
            Q(history_date__lt=OuterRef("history_date"))
            | Q(history_date=OuterRef("history_date"), history_id__lt=OuterRef("pk"))
        )
        .order_by("-history_date", "-history_id")
        .values("history_id")[:1]
    )
    records = list(
        history.objects.filter(history_id__in=ids).annotate(
            previous_id=Subquery(before)
        )
    )
    previous = history.objects.in_bulk(
        [record.previous_id for record in records if record.previous_id]
    )
    instances = [_instance(model, record) for record in records]
    _read_related(model, instances)
    for record, instance in zip(records, instances, strict=True):
        earlier = previous.get(record.previous_id)
        changed = []
        if earlier is not None and record.history_type == "~":
            changed = [
                str(model._meta.get_field(name).verbose_name)
                for name in record.diff_against(earlier).changed_fields
            ]
        yield record, _name(instance), changed


def _instance(model: type[models.Model], record) -> models.Model:
    """The object as a version saved it, without reading the object itself."""
    return model(
        **{
            field.attname: getattr(record, field.attname)
            for field in model._meta.concrete_fields
            if hasattr(record, field.attname)
        }
    )


def _read_related(model: type[models.Model], instances: list[models.Model]) -> None:
    """Read the rows the objects' names mention, one query per relation, without
    their long texts (an article's body, a document's text)."""
    lookups = []
    for field in model._meta.concrete_fields:
        if not field.many_to_one:
            continue
        related = field.related_model
        long_texts = [
            f.name
            for f in related._meta.concrete_fields
            if isinstance(f, models.TextField)
        ]
        lookups.append(
            Prefetch(field.name, queryset=related._base_manager.defer(*long_texts))
        )
    if lookups and instances:
        models.prefetch_related_objects(instances, *lookups)


def _name(instance: models.Model) -> str:
    try:
        return str(instance)
    except ObjectDoesNotExist:  # it names something deleted since
        return ""


def _change_url(model: type[models.Model], object_id: int) -> str:
    opts = model._meta
    try:
        return reverse(
            f"admin:{opts.app_label}_{opts.model_name}_change", args=[object_id]
        )
    except NoReverseMatch:
        return ""

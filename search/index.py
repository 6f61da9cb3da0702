"""What each model puts in the search index, and keeping the index in step.

A searchable model inherits ``Indexed`` and declares its ``search_fields``, as
Wagtail's models do: each field names an attribute or a method of the model and the
column of the index it goes to (the title weighs most, then the aliases and the
summary, then the body). Adding a searchable model is that one declaration; nothing
here names a model.

A model whose rows change what another model's index row says (evidence quoted on a
cause's row, say) declares ``search_dependents``: the names of foreign keys, related
managers or methods that lead to those objects.

Writes are indexed after their transaction commits, once per object however often it
was saved, in one pass per model (``index_objects``). ``rebuild_index`` rebuilds
everything in bulk. The search backends (``search.backends``) read the rows this
writes.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import ClassVar

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import connection, models, transaction
from django.db.models.signals import post_delete, post_save

from search.backends import get_backend
from search.models import SearchDocument, SearchTerm
from search.text import words

COLUMNS = ("title", "aliases", "summary", "body")
# A row that is always visible (entities have no publication date of their own).
ALWAYS = datetime(2000, 1, 1, tzinfo=UTC)
REBUILD_BATCH = 500
MAX_WORD_LENGTH = 100


@dataclass(frozen=True)
class SearchField:
    """One value a model puts in the index: an attribute, or a method to call.

    A list of values becomes one line each; an empty value adds nothing. Several
    fields may share a column, in the order they are declared.
    """

    name: str
    column: str = "body"

    def __post_init__(self) -> None:
        if self.column not in COLUMNS:
            raise ValueError(f"{self.name}: column must be one of {COLUMNS}")

    def text(self, obj: models.Model) -> str:
        value = getattr(obj, self.name)
        if callable(value):
            value = value()
        if isinstance(value, list | tuple):
            return "\n".join(str(item) for item in value if item)
        return "" if value is None else str(value)


class Indexed:
    """A model readers can find through site search.

    Declare ``search_fields``; override ``search_queryset`` to fetch what the fields
    read in bulk (``select_related``, ``prefetch_related``), and
    ``search_published_at`` for a row that is not always visible.
    """

    search_fields: ClassVar[Sequence[SearchField]] = ()
    # How the results page names this kind of page; defaults from the model's name.
    search_kind: ClassVar[str] = ""
    search_label: ClassVar[str] = ""
    search_label_plural: ClassVar[str] = ""
    # Position of this kind among the result types.
    search_position: ClassVar[int] = 100
    # Offered as a way in when a search finds nothing.
    search_suggested: ClassVar[bool] = False

    @classmethod
    def search_queryset(cls) -> models.QuerySet:
        return cls._default_manager.all()

    def search_published_at(self) -> datetime | None:
        """When readers may first find this page; None while they may not."""
        return ALWAYS


@dataclass(frozen=True)
class Kind:
    value: str
    label: str
    label_plural: str
    model: type[models.Model]


def kind_of(model: type[models.Model]) -> Kind:
    meta = model._meta
    return Kind(
        value=model.search_kind or meta.model_name,
        label=model.search_label or meta.verbose_name.capitalize(),
        label_plural=model.search_label_plural or meta.verbose_name_plural.capitalize(),
        model=model,
    )


def indexed_models() -> list[type[models.Model]]:
    models_ = [m for m in apps.get_models() if issubclass(m, Indexed)]
    return sorted(models_, key=lambda m: (m.search_position, m._meta.label))


def kinds() -> list[Kind]:
    """Every kind of page in the index, in the order the results page lists them."""
    return [kind_of(model) for model in indexed_models()]


# -- building rows -------------------------------------------------------------------


def build_document(obj: Indexed) -> SearchDocument:
    """The index row for an object, unsaved."""
    columns: dict[str, list[str]] = {column: [] for column in COLUMNS}
    for field in type(obj).search_fields:
        if text := field.text(obj):
            columns[field.column].append(text)
    return SearchDocument(
        kind=kind_of(type(obj)).value,
        object_id=obj.pk,
        url=obj.get_absolute_url(),
        published_at=obj.search_published_at(),
        title=" ".join(columns["title"]),
        aliases="\n".join(columns["aliases"]),
        summary="\n".join(columns["summary"]),
        body="\n".join(columns["body"]),
    )


def add_vocabulary(documents: Iterable[SearchDocument]) -> None:
    """Record the documents' words: the vocabulary typos are corrected to."""
    vocabulary: set[str] = set()
    for document in documents:
        text = " ".join(getattr(document, column) for column in COLUMNS)
        vocabulary.update(words(text))
    SearchTerm.objects.bulk_create(
        [
            SearchTerm(word=word)
            for word in sorted(vocabulary)
            if len(word) <= MAX_WORD_LENGTH
        ],
        ignore_conflicts=True,
        batch_size=REBUILD_BATCH,
    )


@transaction.atomic
def index_objects(model: type[Indexed], pks: Iterable[int]) -> None:
    """Rewrite the index rows of these objects; objects that are gone lose theirs."""
    pks = set(pks)
    kind = kind_of(model).value
    documents = [
        build_document(obj) for obj in model.search_queryset().filter(pk__in=pks)
    ]
    SearchDocument.objects.filter(kind=kind, object_id__in=pks).delete()
    created = SearchDocument.objects.bulk_create(documents)
    add_vocabulary(created)
    get_backend().update_vectors([document.pk for document in created])


def rebuild_index(batch_size: int = REBUILD_BATCH) -> int:
    """Index every searchable object from scratch, in bulk; returns how many."""
    count = 0
    with transaction.atomic():
        SearchDocument.objects.all().delete()
        for model in indexed_models():
            batch: list[SearchDocument] = []
            objects = model.search_queryset().order_by("pk").iterator(batch_size)
            for obj in objects:
                batch.append(build_document(obj))
                if len(batch) == batch_size:
                    count += _store(batch)
                    batch = []
            count += _store(batch)
        get_backend().update_vectors(None)
    return count


def _store(documents: list[SearchDocument]) -> int:
    created = SearchDocument.objects.bulk_create(documents)
    add_vocabulary(created)
    return len(created)


# -- keeping the index in step -------------------------------------------------------


def _dependents(instance: models.Model) -> Iterator[tuple[type[models.Model], int]]:
    """The indexed objects whose rows say something this row says."""
    for name in getattr(type(instance), "search_dependents", ()):
        try:
            field = instance._meta.get_field(name)
        except FieldDoesNotExist:
            field = None
        if field is not None and field.many_to_one:
            # A foreign key: its value is the key, with no query.
            if (pk := getattr(instance, field.attname)) is not None:
                yield field.related_model, pk
            continue
        if instance.pk is None:
            continue
        related = getattr(instance, name)
        if isinstance(related, models.Manager):
            related = related.all()
        elif callable(related):
            related = related()
        if isinstance(related, models.QuerySet):
            for pk in related.values_list("pk", flat=True):
                yield related.model, pk
        else:
            for obj in related:
                yield type(obj), obj.pk


def _pending() -> defaultdict[type[models.Model], set[int]]:
    if not hasattr(connection, "search_pending"):
        connection.search_pending = defaultdict(set)
    return connection.search_pending


def _schedule(instance: models.Model) -> None:
    pending = _pending()
    if isinstance(instance, Indexed) and instance.pk is not None:
        pending[type(instance)].add(instance.pk)
    for model, pk in _dependents(instance):
        if issubclass(model, Indexed):
            pending[model].add(pk)
    # Each write asks; the first callback to run indexes everything pending, so a
    # savepoint rolled back with its callback leaves no write unindexed.
    transaction.on_commit(flush_pending, robust=True)


def flush_pending() -> None:
    """Index the objects written since the last flush (run after each commit)."""
    pending = _pending()
    while pending:
        model, pks = pending.popitem()
        index_objects(model, pks)


def discard_pending() -> None:
    """Forget what is pending: for tests whose transaction never commits."""
    _pending().clear()


def _on_write(sender, instance, raw: bool = False, **kwargs) -> None:
    if raw:  # loaddata: whoever loads data rebuilds the index once at the end
        return
    _schedule(instance)


def connect_signals() -> None:
    """Index every write, whatever makes it: services, the admin, the shell.

    The index is a projection of the content, not domain logic, so signals are the
    one place that sees every write path.
    """
    for model in apps.get_models():
        if issubclass(model, Indexed) or getattr(model, "search_dependents", ()):
            uid = f"search-index-{model._meta.label}"
            post_save.connect(_on_write, sender=model, dispatch_uid=uid)
            post_delete.connect(_on_write, sender=model, dispatch_uid=uid)

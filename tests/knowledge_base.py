"""The real knowledge base, loaded once per test session and written back per test.

``load_knowledge`` runs once, in a transaction that is rolled back; its rows are
kept in memory and written back for each test that asks, which takes a fraction of
the time.
"""

from __future__ import annotations

from django.apps import apps
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, models, transaction

# The apps whose rows the knowledge base fills: its content and its search index.
KNOWLEDGE_BASE_APPS = ("knowledge", "search")

Snapshot = list[tuple[type[models.Model], list[models.Model]]]


def assert_test_database() -> None:
    """Refuse to write anywhere but a test database."""
    name = str(connection.settings_dict["NAME"])
    if not (name.startswith("test_") or "memorydb" in name or "/test_" in name):
        raise RuntimeError(f"Not a test database: {name}")


def take_snapshot() -> Snapshot:
    """The rows ``load_knowledge`` writes into an empty database, model by model."""
    assert_test_database()
    snapshot = []
    with transaction.atomic():
        call_command("load_knowledge", verbosity=0)
        for config in (apps.get_app_config(label) for label in KNOWLEDGE_BASE_APPS):
            for model in config.get_models(include_auto_created=True):
                if rows := list(model._base_manager.order_by("pk")):
                    snapshot.append((model, rows))
        transaction.set_rollback(True)
    return snapshot


def restore_knowledge_base(snapshot: Snapshot) -> None:
    """Write the knowledge base's rows back, exactly as ``load_knowledge`` left them.

    ``bulk_create`` sends no signals: the rows, their search index included, are
    written as they were. Foreign keys are checked when the transaction commits.
    """
    assert_test_database()
    with transaction.atomic():
        for model, rows in snapshot:
            model._base_manager.bulk_create(rows, batch_size=500)
        statements = connection.ops.sequence_reset_sql(
            no_style(), [model for model, _rows in snapshot]
        )
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)

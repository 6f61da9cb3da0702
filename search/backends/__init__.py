"""Each database searches the index its own way, behind one small interface.

- PostgreSQL (``postgres``): a weighted ``tsvector`` (title above aliases and summary
  above body), ``plainto_tsquery``, ``ts_rank`` and ``ts_headline``, with a
  text-search configuration that folds accents; typos are matched with ``pg_trgm``.
- SQLite (``sqlite``): an FTS5 table (Porter stemming, accent folding) ranked with
  ``bm25`` and highlighted with ``snippet``; typos are matched through an FTS5
  trigram table.
"""

from __future__ import annotations

from django.db import connection

from search.backends.base import Backend, Hit, matching

__all__ = ["Backend", "Hit", "get_backend", "matching"]


def get_backend() -> Backend:
    if connection.vendor == "postgresql":
        from search.backends.postgres import PostgresBackend

        return PostgresBackend()
    from search.backends.sqlite import SqliteBackend

    return SqliteBackend()

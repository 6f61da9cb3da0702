"""The comparison tables: one module per table, with its columns, filters and view."""

"""What a table page says about its rows, in the singular or the plural as the count
asks: "1 cause matches your filters", "Download these 3 rows"."""

from __future__ import annotations

from django.core.paginator import Page


def counted(count: int, singular: str, plural: str) -> str:
    """A count and its noun: "1 cause", "0 causes", "2,251 causes"."""
    return f"{count:,} {singular if count == 1 else plural}"


def result_count(
    total: int, singular: str, plural: str, *, filtered: bool, page: Page | None
) -> str:
    """How many rows there are, whether they match filters, and which are shown.

    ``page`` is the page shown when the rows take more than one, else ``None``.
    """
    text = counted(total, singular, plural)
    if filtered:
        text += " matches your filters" if total == 1 else " match your filters"
    if page is not None:
        text += f", {page.start_index():,} to {page.end_index():,} shown"
    return text


def download_label(total: int, *, paginated: bool) -> str:
    """The words before the export links: all rows, not only the page shown."""
    if total == 1:
        return "Download this row"
    if paginated:
        return f"Download all {total:,} rows"
    return f"Download these {total:,} rows"

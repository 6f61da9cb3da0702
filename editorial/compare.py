"""Comparing versions of an article: line by line, and against what readers see."""

from __future__ import annotations

import difflib

from editorial.authorship import reviewed_text
from knowledge.models import Article

# The working fields readers see a copy of, each with its live copy.
LIVE_TEXT = (
    ("Title", "live_title", "title"),
    ("Address (slug)", "live_slug", "slug"),
    ("Summary", "live_summary", "summary"),
    ("Body", "live_body", "body"),
)
LIVE_LINKS = (
    ("Nutrients", "live_nutrients", "nutrients"),
    ("Causes", "live_causes", "causes"),
)


def text_diff(old, new) -> list[tuple[str, str]]:
    """A line-by-line diff as (kind, text) pairs: "+" added, "-" removed, " " same."""
    lines = difflib.ndiff(str(old or "").splitlines(), str(new or "").splitlines())
    return [(line[0], line[2:]) for line in lines if line[0] in "+- "]


def live_changes(article: Article) -> list[dict]:
    """What the working version would change in what readers see, field by field
    (the linked causes and nutrients by name, one a line); empty if nothing."""
    changes = []
    for label, live, working in LIVE_TEXT:
        old, new = getattr(article, live) or "", getattr(article, working)
        if label == "Body" and article.live_body_html and not old:
            changes.append({"field": label, "lines": [], "unknown": True})
        elif reviewed_text(old) != reviewed_text(new):
            changes.append({"field": label, "lines": text_diff(old, new)})
    for label, live, working in LIVE_LINKS:
        old, new = (
            sorted(str(item) for item in getattr(article, name).all())
            for name in (live, working)
        )
        if old != new:
            lines = text_diff("\n".join(old), "\n".join(new))
            changes.append({"field": label, "lines": lines})
    return changes

"""What the article admin shows of the workflow, in words: when the article is or
goes live and when it leaves, the log of its steps, and the requests for changes
still open.

Times are written with their zone (``TIME_ZONE``), and the change page says which
zone the publication times it asks for are read in.
"""

from __future__ import annotations

from django.contrib import admin
from django.utils import timezone

from editorial.feedback import open_change_requests, when
from editorial.models import ArticleTransition
from editorial.services import article_log_label
from knowledge.models import Article


def publication(article: Article) -> str:
    """When readers see it: "Live since ...; leaves the site on ...", or its
    scheduled publication, or "Not published"."""
    if article.published_at:
        parts = [f"Live since {when(article.published_at)}"]
    else:
        parts = ["Not published"]
    if article.status == Article.Status.APPROVED and article.scheduled_at:
        verb = "the new version goes live" if article.published_at else "goes live"
        parts.append(f"scheduled: {verb} on {when(article.scheduled_at)}")
    if article.unpublish_at:
        parts.append(f"scheduled to leave the site on {when(article.unpublish_at)}")
    return "; ".join(parts)


class PublicationMixin:
    """The article admin's "Published" column and field, schedule included."""

    @admin.display(description="Published", ordering="published_at")
    def publication(self, article: Article) -> str:
        return publication(article)


class ReadableLogMixin:
    """A log of steps in words: "Changes requested", "Draft → In review"."""

    @admin.display(description="step")
    def step(self, entry: ArticleTransition) -> str:
        return article_log_label(entry)

    @admin.display(description="status")
    def moved(self, entry: ArticleTransition) -> str:
        before, after = entry.get_from_status_display(), entry.get_to_status_display()
        return before if before == after else f"{before} → {after}"

    @admin.display(description="by")
    def by(self, entry: ArticleTransition) -> str:
        return str(entry.user) if entry.user_id else "the schedule"


def workflow_notices(article: Article) -> dict:
    """What the change page says above and beside its workflow buttons."""
    return {
        "change_requests": list(open_change_requests(article)),
        "publication": publication(article),
        "time_zone": timezone.get_current_timezone_name(),
    }

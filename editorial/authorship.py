"""Who wrote the version of an article that is under review.

No one who wrote or edited any part of the version under review may approve it
(``editorial.workflow``). What that version spans:

- The reviewed content is the title, the summary, the body, and the causes and
  nutrients the article is linked to; a slug or a workflow step is not content.
- The version under review is that content as it stands now, with every change
  made to it since it was last approved. A text a reviewer approved was checked by
  someone independent, so its writers may review what was changed after it; an
  article never approved has everything in its history under review. (An approved
  article is published as it was approved: any edit sends it back to draft.)
- Each saved version in the history (django-simple-history) that changed the
  content counts its user. Text is compared with its line endings normalised, so
  a save that only changed them is no edit. A save made through the admin or
  ``article_record_edit`` is marked ``EDITED`` and counts even when only the linked
  causes or nutrients changed, which the history does not keep.
- Restoring an older version brings back its text, and with it its writers: a save
  whose content equals an earlier version that was never approved also counts
  everyone who wrote that version (by the same rules, from the approval before it).
- Whoever sent the version for review since the last approval counts too: they
  vouched for it as ready.

Re-certifying a live article (confirming that what readers see is still accurate)
is a review too: ``live_version_editors`` applies the same rules to the live
version, so no one who wrote it or sent it for review may vouch for it again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.utils import dateformat, timezone
from django.utils.text import normalize_newlines

from knowledge.models import Article

REVIEWED_TEXT = ("title", "summary", "body")
REVIEWED_LINKS = ("nutrients", "causes")
# The history's reason for a save that edited the reviewed content.
EDITED = "Edited"


def reviewed_text(value: str | None) -> str:
    """A text as the comparison sees it: line endings and outer blanks aside."""
    return normalize_newlines(value or "").strip()


@dataclass(frozen=True)
class _Version:
    user_id: int | None
    date: datetime
    content: tuple[str, ...]
    marked_edit: bool


@dataclass
class _History:
    """An article's saved versions, oldest first, and the times it was approved."""

    versions: list[_Version]
    approvals: list[datetime]
    # The content each approval approved: the last version saved before it.
    approved: set[tuple[str, ...]] = field(init=False, default_factory=set)

    def __post_init__(self) -> None:
        for when in self.approvals:
            before = [v.content for v in self.versions if v.date <= when]
            if before:
                self.approved.add(before[-1])

    def approval_before(self, date: datetime) -> datetime | None:
        earlier = [when for when in self.approvals if when < date]
        return earlier[-1] if earlier else None

    def writers(
        self, last: int, restored_on: datetime | None = None
    ) -> dict[int, tuple[datetime, datetime | None]]:
        """Who changed the content from the approval before ``versions[last]`` up to
        it: each user with the date of their latest change, and the date of the
        restore that brought their text back, if that is how it came back."""
        versions = self.versions
        since = self.approval_before(versions[last].date)
        writers: dict[int, tuple[datetime, datetime | None]] = {}
        for i in range(last, -1, -1):
            version = versions[i]
            if since is not None and version.date <= since:
                break
            if not (
                i == 0
                or version.marked_edit
                or version.content != versions[i - 1].content
            ):
                continue  # a workflow step, or a save that changed nothing
            if version.user_id is not None:
                writers.setdefault(version.user_id, (version.date, restored_on))
            if since is None or version.content in self.approved:
                continue
            # A text saved before the last approval and never approved: a restore.
            earlier = [
                j
                for j in range(i)
                if versions[j].date <= since and versions[j].content == version.content
            ]
            if earlier:
                brought_back = self.writers(earlier[-1], restored_on or version.date)
                for user_id, found in brought_back.items():
                    writers.setdefault(user_id, found)
        return writers


def article_editors(article: Article) -> dict[int, str]:
    """Everyone who may not approve the version under review, each with the reason."""
    history = _history(article)
    reasons: dict[int, str] = {}
    if history.versions:
        reasons = _writers(history, len(history.versions) - 1)
    since = history.approvals[-1] if history.approvals else None
    _add_submitters(reasons, article, since=since)
    return reasons


def live_version_editors(article: Article) -> dict[int, str]:
    """Everyone who may not re-certify the live version, each with the reason.

    The live version is the one approved before the article's last publication:
    its writers and whoever sent it for review count, by the rules above. Edits
    made since belong to the next version, not to what readers see. An article
    made live without the workflow (loaded from its source document) has its first
    saved version live, written by no one.
    """
    history = _history(article)
    if article.published_at is None or not history.versions:
        return {}
    published = (
        article.transitions.filter(action="publish", to_status=Article.Status.PUBLISHED)
        .order_by("-created_at")
        .values_list("created_at", flat=True)
        .first()
    )
    approved = max(
        (when for when in history.approvals if published and when <= published),
        default=None,
    )
    if approved is None:
        return _writers(history, 0)
    saved = [
        i for i, version in enumerate(history.versions) if version.date <= approved
    ]
    reasons = _writers(history, saved[-1] if saved else 0)
    _add_submitters(
        reasons, article, since=history.approval_before(approved), until=approved
    )
    return reasons


def _history(article: Article) -> _History:
    rows = article.history.order_by("history_date", "history_id").values(
        "history_user_id", "history_date", "history_change_reason", *REVIEWED_TEXT
    )
    return _History(
        versions=[
            _Version(
                user_id=row["history_user_id"],
                date=row["history_date"],
                content=tuple(reviewed_text(row[name]) for name in REVIEWED_TEXT),
                marked_edit=row["history_change_reason"] == EDITED,
            )
            for row in rows
        ],
        approvals=sorted(
            article.transitions.filter(action="approve").values_list(
                "created_at", flat=True
            )
        ),
    )


def _writers(history: _History, last: int) -> dict[int, str]:
    """Who wrote ``versions[last]`` since the approval before it, and how."""
    reasons = {}
    for user_id, (date, restored_on) in history.writers(last).items():
        if restored_on is None:
            reasons[user_id] = f"you edited it on {_when(date)}"
        else:
            reasons[user_id] = (
                f"you wrote part of the version restored on {_when(restored_on)}"
            )
    return reasons


def _add_submitters(
    reasons: dict[int, str],
    article: Article,
    *,
    since: datetime | None,
    until: datetime | None = None,
) -> None:
    """Add whoever sent the article for review after ``since`` (up to ``until``)."""
    submissions = article.transitions.filter(action="submit").exclude(user=None)
    if since is not None:
        submissions = submissions.filter(created_at__gt=since)
    if until is not None:
        submissions = submissions.filter(created_at__lte=until)
    for user_id, date in submissions.order_by("created_at").values_list(
        "user", "created_at"
    ):
        reasons.setdefault(user_id, f"you sent it for review on {_when(date)}")


def _when(date: datetime) -> str:
    return dateformat.format(timezone.localtime(date), "j F Y, H:i")

"""Who wrote the version under review: no one of them may approve it."""

import pytest
from django.contrib.auth.models import Group

from editorial.authorship import article_editors, live_version_editors
from editorial.services import (
    TransitionRefused,
    article_record_edit,
    article_transition,
    article_transitions_for,
)
from knowledge.models import Article

pytestmark = pytest.mark.django_db


@pytest.fixture
def both(make_user):
    """An author who is also a medical reviewer."""
    user = make_user("both", "Authors")
    user.groups.add(Group.objects.get(name="Medical reviewers"))
    return user


def edit(article: Article, user, **fields) -> None:
    for name, value in fields.items():
        setattr(article, name, value)
    article._history_user = user
    article.save()


def test_the_refusal_says_the_reviewer_edited_it(draft, both, author):
    edit(draft, both, body="A sentence by both.")
    article_transition(article=draft, user=author, action="submit")
    with pytest.raises(TransitionRefused) as refusal:
        article_transition(article=draft, user=both, action="approve")
    message = str(refusal.value)
    assert message.startswith(
        "You cannot approve “Eyelid twitching”: you edited it on "
    )
    assert "another medical reviewer must approve it" in message
    draft.refresh_from_db()
    assert draft.status == Article.Status.IN_REVIEW


def test_the_refusal_says_the_reviewer_sent_it_for_review(draft, both):
    article_transition(article=draft, user=both, action="submit")
    with pytest.raises(TransitionRefused, match="you sent it for review on "):
        article_transition(article=draft, user=both, action="approve")


def test_edits_that_were_approved_before_do_not_count(draft, both, author, make_user):
    # Both wrote part of a version another reviewer approved; the next version
    # under review is only what was changed after that approval.
    other = make_user("other-reviewer", "Medical reviewers")
    edit(draft, both, body="Reviewed text by both.")
    article_transition(article=draft, user=author, action="submit")
    article_transition(article=draft, user=other, action="approve")
    draft.refresh_from_db()
    draft.summary = "A new summary by the author."
    article_record_edit(article=draft, user=author)
    article_transition(article=draft, user=author, action="submit")
    assert set(article_editors(draft)) == {author.pk}
    article_transition(article=draft, user=both, action="approve")
    draft.refresh_from_db()
    assert draft.status == Article.Status.APPROVED


def test_an_edit_that_changed_only_line_endings_is_no_edit(draft, both, author):
    draft.body = "One.\n\nTwo."
    draft.save()
    edit(draft, both, body="One.\r\n\r\nTwo.")
    article_transition(article=draft, user=author, action="submit")
    assert both.pk not in article_editors(draft)


# -- re-certifying the live version ---------------------------------------------------


def publish(article: Article, *, author, reviewer, publisher) -> None:
    article_transition(article=article, user=author, action="submit")
    article_transition(article=article, user=reviewer, action="approve")
    article_transition(article=article, user=publisher, action="publish")
    article.refresh_from_db()


def test_whoever_wrote_the_live_version_may_not_recertify_it(
    draft, both, author, publisher, make_user
):
    other = make_user("other-reviewer", "Medical reviewers")
    edit(draft, both, body="Text by both.")
    publish(draft, author=author, reviewer=other, publisher=publisher)
    assert both.pk in live_version_editors(draft)
    assert "recertify" not in [
        t.action for t in article_transitions_for(article=draft, user=both)
    ]
    with pytest.raises(TransitionRefused) as refusal:
        article_transition(article=draft, user=both, action="recertify")
    assert str(refusal.value).startswith(
        "You cannot re-certify the live version “Eyelid twitching”: you edited it on "
    )
    article_transition(article=draft, user=other, action="recertify")


def test_an_edit_after_publication_does_not_bar_recertifying_the_live_version(
    draft, both, author, publisher, make_user
):
    other = make_user("other-reviewer", "Medical reviewers")
    edit(draft, author, body="Text by the author.")
    publish(draft, author=author, reviewer=other, publisher=publisher)
    draft.body = "A later draft by both."
    article_record_edit(article=draft, user=both)
    assert both.pk in article_editors(draft)  # may not approve the draft...
    assert both.pk not in live_version_editors(draft)  # ...but may vouch for the live
    article_transition(article=draft, user=both, action="recertify")
    draft.refresh_from_db()
    assert draft.live_reviewed_by == both


def test_any_reviewer_may_recertify_a_loaded_article(knowledge_base, both):
    article = Article.objects.get(slug="causes-of-muscle-twitches")
    assert live_version_editors(article) == {}
    article_transition(article=article, user=both, action="recertify")
    article.refresh_from_db()
    assert article.live_reviewed_by == both

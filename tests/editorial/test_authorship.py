"""Who wrote the version under review: no one of them may approve it."""

import pytest
from django.contrib.auth.models import Group

from editorial.authorship import article_editors
from editorial.services import (
    TransitionRefused,
    article_record_edit,
    article_transition,
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

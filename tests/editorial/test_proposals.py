"""Changes to the facts are proposed, reviewed and published; readers see none of
them before."""

from http import HTTPStatus

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from editorial.models import Proposal, ProposedChange
from editorial.proposals import (
    TransitionRefused,
    fact_history,
    proposal_in_progress,
    proposal_record,
    proposal_review,
    proposal_transition,
    proposal_transitions_for,
)
from knowledge.models import Article, Cause, Evidence, SourceDocument
from search.query import search

pytestmark = pytest.mark.django_db

NEURO = "neurological-conditions"


@pytest.fixture
def team(make_user):
    return {
        "author": make_user("author", "Authors"),
        "reviewer": make_user("reviewer", "Medical reviewers"),
        "publisher": make_user("publisher", "Publishers"),
    }


def review_and_publish(proposal, team, commit):
    proposal_transition(proposal=proposal, user=team["author"], action="submit")
    proposal_transition(proposal=proposal, user=team["reviewer"], action="approve")
    with commit():
        proposal_transition(proposal=proposal, user=team["publisher"], action="publish")


def cause_page(client):
    return client.get(reverse("knowledge:cause-detail", args=[NEURO])).text


def test_an_admin_edit_of_a_fact_is_proposed_not_applied(client, knowledge_base, team):
    client.force_login(team["author"])
    cause = Cause.objects.get(slug=NEURO)
    url = reverse("admin:knowledge_cause_change", args=[cause.pk])
    response = client.post(
        url,
        {"name": "Nerve disorders", "slug": NEURO, "category": "neurological"},
    )
    proposal = Proposal.objects.get(author=team["author"])
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == reverse(
        "admin:editorial_proposal_review", args=[proposal.pk]
    )
    cause.refresh_from_db()
    assert cause.name == "Neurological conditions"
    change = proposal.changes.get()
    assert (change.action, change.data) == ("update", {"name": "Nerve disorders"})
    assert change.base == {"name": "Neurological conditions"}
    # The author sees their proposed version in the form; readers the published one.
    assert 'value="Nerve disorders"' in client.get(url).text
    client.logout()
    assert "<h1>Neurological conditions</h1>" in cause_page(client)


def test_lowering_an_urgency_leaves_readers_untouched_until_published(
    client, knowledge_base, team, commit
):
    """The editing team's scenario: a High urgency removed, warnings emptied."""
    cause = Cause.objects.get(slug=NEURO)
    proposal = proposal_in_progress(user=team["author"])
    for quote in cause.evidence.filter(aspect__in=["urgency", "warning"]):
        proposal_record(
            proposal=proposal,
            user=team["author"],
            model=Evidence,
            action="delete",
            object_id=quote.pk,
        )
    table = reverse("knowledge:cause-list")
    filtered = {"area": "face", "symptom": "persistent-widespread-spasms"}
    for step in ("submit", "approve"):
        user = team["author"] if step == "submit" else team["reviewer"]
        proposal_transition(proposal=proposal, user=user, action=step)
        page = cause_page(client)
        assert "High (requires medical evaluation)" in page
        assert "See a doctor" in page
        assert "See a doctor" in client.get(table, filtered).text
        assert Cause.objects.with_grades().get(slug=NEURO).urgency == 3

    with commit():
        proposal_transition(proposal=proposal, user=team["publisher"], action="publish")
    page = cause_page(client)
    assert "High (requires medical evaluation)" not in page
    assert "See a doctor" not in page
    assert Cause.objects.with_grades().get(slug=NEURO).urgency is None


def test_a_reviewer_cannot_approve_a_change_they_edited(
    knowledge_base, team, make_user
):
    both = make_user("both", "Authors")
    both.groups.add(Group.objects.get(name="Medical reviewers"))
    cause = Cause.objects.get(slug=NEURO)
    proposal = proposal_in_progress(user=team["author"])
    proposal_record(
        proposal=proposal,
        user=team["author"],
        model=Cause,
        action="update",
        data={"name": "Nerve disorders"},
        object_id=cause.pk,
    )
    # Someone who is also a reviewer edits the same proposal...
    proposal_record(
        proposal=proposal,
        user=both,
        model=Cause,
        action="update",
        data={"name": "Disorders of the nerves"},
        object_id=cause.pk,
    )
    proposal_transition(proposal=proposal, user=team["author"], action="submit")
    # ...and may not approve it, however it was submitted.
    assert "approve" not in [
        t.action for t in proposal_transitions_for(proposal=proposal, user=both)
    ]
    with pytest.raises(TransitionRefused, match="another medical reviewer"):
        proposal_transition(proposal=proposal, user=both, action="approve")
    proposal_transition(proposal=proposal, user=team["reviewer"], action="approve")
    assert Proposal.objects.get(pk=proposal.pk).status == "approved"


def test_a_new_cause_and_its_quotes_go_live_together(
    client, knowledge_base, team, commit
):
    article = Article.objects.get(slug="causes-of-muscle-twitches")
    proposal = proposal_in_progress(user=team["author"])
    cause = proposal_record(
        proposal=proposal,
        user=team["author"],
        model=Cause,
        action="create",
        data={"name": "Night owls", "slug": "night-owls", "category": "lifestyle"},
    )
    proposal_record(
        proposal=proposal,
        user=team["author"],
        model=Evidence,
        action="create",
        data={
            "article": article.pk,
            "cause": cause.ref,
            "aspect": "urgency",
            "stance": "supports",
            "passage": "Low (focus on rest)",
            "value": "Low (focus on rest)",
        },
    )
    reviews = proposal_review(proposal)
    assert [r.change.action for r in reviews] == ["create", "create"]
    cause_field = next(f for f in reviews[1].fields if f.label == "Cause")
    assert cause_field.proposed == "Night owls (new)"
    assert reviews[1].passage["passage"] == "Low (focus on rest)"
    assert not Cause.objects.filter(slug="night-owls").exists()

    review_and_publish(proposal, team, commit)
    owls = Cause.objects.with_grades().get(slug="night-owls")
    assert owls.urgency == Cause.Urgency.LOW
    quote = owls.evidence.get()
    assert quote.article.source.text[quote.start : quote.end] == quote.passage
    assert "Night owls" in [hit.title for hit in search("night owls").hits]
    history = fact_history(owls)
    assert [
        (h.proposal.author, h.proposal.reviewed_by, h.proposal.published_by)
        for h in history
    ] == [(team["author"], team["reviewer"], team["publisher"])]


def test_publishing_refuses_a_fact_changed_since_it_was_proposed(knowledge_base, team):
    cause = Cause.objects.get(slug=NEURO)
    proposal = proposal_in_progress(user=team["author"])
    proposal_record(
        proposal=proposal,
        user=team["author"],
        model=Cause,
        action="update",
        data={"name": "Nerve disorders"},
        object_id=cause.pk,
    )
    proposal_transition(proposal=proposal, user=team["author"], action="submit")
    proposal_transition(proposal=proposal, user=team["reviewer"], action="approve")
    Cause.objects.filter(pk=cause.pk).update(name="Renamed meanwhile")
    with pytest.raises(TransitionRefused, match="changed since this proposal"):
        proposal_transition(proposal=proposal, user=team["publisher"], action="publish")
    assert Cause.objects.get(pk=cause.pk).name == "Renamed meanwhile"
    assert Proposal.objects.get(pk=proposal.pk).status == "approved"


def test_a_publish_that_fails_a_rule_applies_nothing(knowledge_base, team):
    article = Article.objects.get(slug="causes-of-muscle-twitches")
    cause = Cause.objects.get(slug=NEURO)
    proposal = proposal_in_progress(user=team["author"])
    proposal_record(
        proposal=proposal,
        user=team["author"],
        model=Cause,
        action="update",
        data={"name": "Nerve disorders"},
        object_id=cause.pk,
    )
    proposal_record(
        proposal=proposal,
        user=team["author"],
        model=Evidence,
        action="create",
        data={
            "article": article.pk,
            "cause": cause.pk,
            "aspect": "link",
            "stance": "supports",
            "passage": "Low potassium is the leading cause of ALS in adults.",
        },
    )
    proposal_transition(proposal=proposal, user=team["author"], action="submit")
    proposal_transition(proposal=proposal, user=team["reviewer"], action="approve")
    with pytest.raises(TransitionRefused, match="does not occur in the document"):
        proposal_transition(proposal=proposal, user=team["publisher"], action="publish")
    assert Cause.objects.get(pk=cause.pk).name == "Neurological conditions"


def test_only_a_draft_changes_and_an_empty_one_is_not_sent(knowledge_base, team):
    proposal = proposal_in_progress(user=team["author"])
    with pytest.raises(TransitionRefused, match="changes nothing"):
        proposal_transition(proposal=proposal, user=team["author"], action="submit")
    cause = Cause.objects.get(slug=NEURO)
    proposal_record(
        proposal=proposal,
        user=team["author"],
        model=Cause,
        action="update",
        data={"name": "Nerve disorders"},
        object_id=cause.pk,
    )
    proposal_transition(proposal=proposal, user=team["author"], action="submit")
    with pytest.raises(TransitionRefused, match="only a draft"):
        proposal_record(
            proposal=proposal,
            user=team["author"],
            model=Cause,
            action="update",
            data={"name": "Other"},
            object_id=cause.pk,
        )
    # A second draft begins for the author's next change.
    assert proposal_in_progress(user=team["author"]).pk != proposal.pk


def test_a_change_set_back_to_what_readers_see_is_no_change(knowledge_base, team):
    cause = Cause.objects.get(slug=NEURO)
    proposal = proposal_in_progress(user=team["author"])
    for name in ("Nerve disorders", "Neurological conditions"):
        proposal_record(
            proposal=proposal,
            user=team["author"],
            model=Cause,
            action="update",
            data={"name": name},
            object_id=cause.pk,
        )
    assert not proposal.changes.exists()


def test_the_review_page_shows_the_difference(client, knowledge_base, team):
    cause = Cause.objects.get(slug=NEURO)
    proposal = proposal_in_progress(user=team["author"])
    proposal_record(
        proposal=proposal,
        user=team["author"],
        model=Cause,
        action="update",
        data={"name": "Nerve disorders"},
        object_id=cause.pk,
    )
    proposal_transition(proposal=proposal, user=team["author"], action="submit")
    client.force_login(team["reviewer"])
    page = client.get(reverse("admin:editorial_proposal_review", args=[proposal.pk]))
    assert page.status_code == HTTPStatus.OK
    assert "<del>Neurological conditions</del>" in page.text
    assert "<ins>Nerve disorders</ins>" in page.text
    assert 'value="approve"' in page.text
    assert 'value="publish"' not in page.text


def test_a_published_proposal_still_shows_what_it_changed(
    client, knowledge_base, team, commit
):
    cause = Cause.objects.get(slug=NEURO)
    quote = cause.evidence.get(aspect="urgency")
    proposal = proposal_in_progress(user=team["author"])
    proposal_record(
        proposal=proposal,
        user=team["author"],
        model=Cause,
        action="update",
        data={"name": "Nerve disorders"},
        object_id=cause.pk,
    )
    proposal_record(
        proposal=proposal,
        user=team["author"],
        model=Evidence,
        action="delete",
        object_id=quote.pk,
    )
    review_and_publish(proposal, team, commit)
    client.force_login(team["reviewer"])
    page = client.get(reverse("admin:editorial_proposal_review", args=[proposal.pk]))
    assert "What it changed" in page.text
    assert "<del>Neurological conditions</del>" in page.text
    assert "<ins>Nerve disorders</ins>" in page.text
    # The removed quote is still on record, with its passage in its document.
    assert quote.passage in page.text
    assert "— (removed)" in page.text


def test_a_source_documents_own_description_is_proposed_too(
    client, knowledge_base, team
):
    document = SourceDocument.objects.get(key="000_2084b6e303462f44")
    client.force_login(team["author"])
    response = client.post(
        reverse("admin:knowledge_sourcedocument_change", args=[document.pk]),
        {
            "title": document.title,
            "editorial_title": "",
            "author": "A made-up publisher",
            "published_on": "",
            "url": "",
        },
    )
    assert response.status_code == HTTPStatus.FOUND
    document.refresh_from_db()
    assert document.author == ""
    change = ProposedChange.objects.get()
    assert change.data == {"author": "A made-up publisher"}

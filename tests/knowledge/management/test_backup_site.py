"""A backup restored into an empty database gives the same pages."""

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.core.management import call_command

from editorial.models import ReviewerProfile
from editorial.services import article_record_edit, article_transition
from knowledge.models import Article

pytestmark = pytest.mark.django_db


PAGES = [
    "/",
    "/articles/",
    "/articles/hemifacial-spasm-and-nutrition/",
    "/articles/nutrients-and-nerves/",
    "/causes/?sort=-urgency",
    "/causes/vitamin-b12-deficiency/",
    "/nutrients/",
    "/nutrients/magnesium/",
    "/foods/?nutrient=magnesium&nutrient=calcium",
    "/foods/sunlight/",
    "/about/",
    "/search/?q=low+magnesium",
    "/sitemap.xml",
    "/feed/",
]


def render_all(client) -> dict[str, bytes]:
    pages = {}
    for path in PAGES:
        cache.clear()
        response = client.get(path)
        assert response.status_code == 200, path
        pages[path] = response.content
    return pages


# Real transactions: flushing the database (TRUNCATE on PostgreSQL) cannot happen
# inside the test's own transaction.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_backup_then_restore_into_an_empty_database_gives_identical_pages(
    client, knowledge_base, roles, django_user_model, tmp_path
):
    # Some editorial history too: a reviewed, republished article.
    reviewer = django_user_model.objects.create_user("rev", is_staff=True)
    reviewer.groups.add(Group.objects.get(name="Medical reviewers"))
    ReviewerProfile.objects.create(user=reviewer, name="Dr R", credential="MD")
    author = django_user_model.objects.create_user("auth", is_staff=True)
    author.groups.add(
        Group.objects.get(name="Authors"), Group.objects.get(name="Publishers")
    )
    article = Article.objects.get(slug="nutrients-and-nerves")
    article.body += "\n\nA reviewed addition."
    article_record_edit(article=article, user=author)
    article_transition(article=article, user=author, action="submit")
    article_transition(article=article, user=reviewer, action="approve")
    article_transition(article=article, user=author, action="publish")
    before = render_all(client)
    assert (
        b"Medically reviewed by <strong>Dr R, MD</strong>"
        in before["/articles/nutrients-and-nerves/"]
    )

    backup = tmp_path / "backup.xml"
    call_command("backup_site", output=backup, verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    # Empty, as a new, migrated database is: only the roles migrate defines.
    assert not Article.objects.exists() and not django_user_model.objects.exists()
    assert not Group.objects.filter(user__isnull=False).exists()

    call_command("restore_site", backup, verbosity=0)
    assert render_all(client) == before
    restored = django_user_model.objects.get(username="auth")
    assert set(restored.groups.values_list("name", flat=True)) == {
        "Authors",
        "Publishers",
    }
    assert (
        Group.objects.get(name="Authors")
        .permissions.filter(codename="submit_article")
        .exists()
    )

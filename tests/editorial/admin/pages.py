"""What an article's change page posts, as a browser sends it."""

from django.urls import reverse

from knowledge.models import Article


def change_url(article: Article) -> str:
    return reverse("admin:knowledge_article_change", args=[article.pk])


def change_form(article: Article, **changes) -> dict:
    """The change form's fields as they stand, with ``changes`` made.

    A browser sends a text area's line breaks as CRLF, whatever the stored text has.
    """
    fields = {
        "title": article.title,
        "slug": article.slug,
        "summary": article.summary,
        "body": article.body,
        "nutrients": [str(pk) for pk in article.nutrients.values_list("pk", flat=True)],
        "causes": [str(pk) for pk in article.causes.values_list("pk", flat=True)],
        "transitions-TOTAL_FORMS": "0",
        "transitions-INITIAL_FORMS": "0",
        "expected_version": str(article.version),
        "comment": "",
        "publish_at": "",
        **changes,
    }
    return {
        name: value.replace("\r\n", "\n").replace("\n", "\r\n")
        if isinstance(value, str)
        else value
        for name, value in fields.items()
    }

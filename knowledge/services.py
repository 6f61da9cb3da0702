"""Writes to the knowledge base that carry rules of their own."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q
from django.utils.text import slugify

from knowledge.documents import parse_document, to_markdown
from knowledge.models import Article, ArticleRedirect, SourceDocument

MAX_SLUG_LENGTH = 200


def document_article_body(document: SourceDocument) -> str:
    """The Markdown of the article that reproduces a document.

    A plain-text document is parsed into headings, paragraphs, lists and tables;
    a Markdown document is its own body, less the lines the article leaves out.
    Raises ``ValueError`` when the text does not fit the hints given with it.
    """
    if document.format == SourceDocument.Format.MARKDOWN:
        left_out = set(document.left_out_lines())
        lines = document.text.splitlines()
        return "\n".join(line for line in lines if line.strip() not in left_out)
    parsed = parse_document(
        document.text,
        title=document.display_title,
        title_is_first_line=document.title_is_first_line,
        drop_lines=[
            line.strip() for line in document.left_out.splitlines() if line.strip()
        ],
        subheadings=[
            line.strip() for line in document.subheadings.splitlines() if line.strip()
        ],
    )
    return to_markdown(parsed)


def unique_article_slug(title: str) -> str:
    base = slugify(title)[: MAX_SLUG_LENGTH - 10] or "document"
    slug, number = base, 2
    while Article.objects.filter(Q(slug=slug) | Q(live_slug=slug)).exists():
        slug, number = f"{base}-{number}", number + 1
    return slug


@transaction.atomic
def document_add(*, document: SourceDocument, user) -> Article:
    """Store a new source document and the draft article that reproduces it.

    The article goes through medical review like any other before readers see it,
    and with it the document.
    """
    body = document_article_body(document)
    document.added_by = user
    document.save()
    return Article.objects.create(
        title=document.display_title,
        slug=unique_article_slug(document.display_title),
        body=body,
        source=document,
        status=Article.Status.DRAFT,
    )


def article_redirects_update(*, article: Article, old_slug: str | None) -> None:
    """Keep readers' links working once the article's live address has changed.

    ``old_slug`` is where readers found the article before (None if nowhere): it
    redirects to the article for good. No redirect is left at the article's new
    live address, whichever article it named: a live article's address wins.
    """
    if article.live_slug:
        ArticleRedirect.objects.filter(old_slug=article.live_slug).delete()
    if old_slug and old_slug != article.live_slug:
        ArticleRedirect.objects.update_or_create(
            old_slug=old_slug, defaults={"article": article}
        )

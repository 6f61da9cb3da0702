"""The editors' views outside the admin: previews, and the Markdown editor's
endpoints, which replace django-markdownx's own (its views accept anonymous users
and trust uploads)."""

import re
from http import HTTPStatus

from django.core.files.storage import default_storage
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseForbidden,
    JsonResponse,
)
from django.shortcuts import get_object_or_404, render
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_POST

from editorial.accounts import may_use_admin
from editorial.content_checks import check_content
from editorial.uploads import (
    MAX_ALT_CHARS,
    MAX_UPLOAD_BYTES,
    UPLOAD_DIR,
    UploadRefused,
    image_markdown,
    store_image,
)
from knowledge.markdown import render_markdown
from knowledge.models import Article

PREVIEW_MAX_BYTES = 100_000


def is_editor(user) -> bool:
    """Editors who may write articles: the only users of the editor's endpoints."""
    return may_use_admin(user) and (
        user.has_perm("knowledge.change_article")
        or user.has_perm("knowledge.add_article")
    )


def article_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """The working version of an article in the site's own templates, for editors,
    with the checks of its body to make before sending it for review.

    Never indexed and never cached: it may hold text no reviewer has seen.
    """
    user = request.user
    if not (may_use_admin(user) and user.has_perm("knowledge.view_article")):
        return HttpResponseForbidden("Only editors may preview articles.")
    article = get_object_or_404(
        Article.objects.select_related("source", "reviewed_by__reviewer_profile"), pk=pk
    )
    article.take_live_copy()  # in memory only: the page shows the working version
    context = {
        "article": article,
        "preview": True,
        "json_ld": "",
        "content_checks": check_content(article.body_html),
        "related_nutrients": article.nutrients.all(),
        "related_causes": article.causes.all(),
    }
    response = render(request, "editorial/article_preview.html", context)
    response["X-Robots-Tag"] = "noindex, nofollow"
    patch_cache_control(response, no_store=True, private=True, max_age=0)
    return response


def _editors_text(request: HttpRequest, action: str) -> str | HttpResponse:
    """The text an editor posted to preview or check, or the refusal to answer."""
    if not is_editor(request.user):
        return HttpResponseForbidden(f"Only editors may {action} articles.")
    content = request.POST.get("content", "")
    if len(content.encode("utf-8", errors="replace")) > PREVIEW_MAX_BYTES:
        return HttpResponse(
            f"This text is too long to {action} (over 100 KB).",
            status=HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
        )
    return content


@require_POST
def markdown_preview(request: HttpRequest) -> HttpResponse:
    """The editor's live preview, rendered exactly as the public page renders it."""
    content = _editors_text(request, "preview")
    if isinstance(content, HttpResponse):
        return content
    return HttpResponse(render_markdown(content))


@require_POST
def content_checks(request: HttpRequest) -> HttpResponse:
    """The checks of the text in the editor, as the editor's page shows them."""
    content = _editors_text(request, "check")
    if isinstance(content, HttpResponse):
        return content
    context = {"checks": check_content(render_markdown(content))}
    return render(request, "editorial/includes/_content_checks.html", context)


@require_POST
def markdown_image_upload(request: HttpRequest) -> HttpResponse:
    """The editor's image upload: raster images only, re-encoded, random names.

    Answers as django-markdownx's widget expects: the Markdown to insert, with the
    alt text the editor gave (the content checks flag an image without one), or the
    reason for refusing as a form error.
    """
    if not is_editor(request.user):
        return JsonResponse(
            {"image": ["Only editors may upload images."]},
            status=HTTPStatus.FORBIDDEN,
        )
    alt = " ".join(request.POST.get("alt", "").split())
    if len(alt) > MAX_ALT_CHARS:
        return JsonResponse(
            {"alt": [f"Keep the alt text to {MAX_ALT_CHARS} characters or fewer."]},
            status=HTTPStatus.BAD_REQUEST,
        )
    upload = request.FILES.get("image")
    if upload is None:
        return JsonResponse(
            {"image": ["Choose an image to upload."]}, status=HTTPStatus.BAD_REQUEST
        )
    if upload.size > MAX_UPLOAD_BYTES:
        return JsonResponse(
            {"image": ["The image is larger than 5 MB."]},
            status=HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
        )
    try:
        url = store_image(upload.read())
    except UploadRefused as refusal:
        return JsonResponse(
            {"image": [str(refusal)]}, status=HTTPStatus.UNSUPPORTED_MEDIA_TYPE
        )
    return JsonResponse({"image_code": image_markdown(url, alt)})


MEDIA_TYPES = {
    "png": "image/png",
    "jpg": "image/jpeg",
    "webp": "image/webp",
    "gif": "image/gif",
}
UPLOADED_NAME = re.compile(r"[0-9a-f]{32}\.(png|jpg|webp|gif)")


def uploaded_image(request: HttpRequest, name: str) -> HttpResponse:
    """An editor's uploaded image, when the app serves media itself.

    Only names the upload view makes are served, always as the image type their
    extension says, never sniffed and sandboxed, so a file can never act as a page
    of this site. In production, object storage serves media (see the README).
    """
    match = UPLOADED_NAME.fullmatch(name)
    path = f"{UPLOAD_DIR}/{name}"
    if not match or not default_storage.exists(path):
        raise Http404("No such image.")
    response = FileResponse(
        default_storage.open(path), content_type=MEDIA_TYPES[match.group(1)]
    )
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response["X-Content-Type-Options"] = "nosniff"
    patch_cache_control(response, public=True, max_age=7 * 24 * 3600)
    return response

from django.urls import path

from editorial import views

app_name = "editorial"

urlpatterns = [
    path("preview/articles/<int:pk>/", views.article_preview, name="article-preview"),
    # The paths django-markdownx's editor widget posts to (MARKDOWNX_URLS_PATH and
    # MARKDOWNX_UPLOAD_URLS_PATH); its own URLs are deliberately not included.
    path("markdownx/markdownify/", views.markdown_preview, name="markdown-preview"),
    path("markdownx/upload/", views.markdown_image_upload, name="markdown-upload"),
    # The content checks beside the editor, refreshed with its live preview.
    path("markdownx/checks/", views.content_checks, name="content-checks"),
    path("media/markdownx/<str:name>", views.uploaded_image, name="uploaded-image"),
]

from django.contrib import admin
from django.urls import include, path

from knowledge.views import markdown_image_upload, markdown_preview, uploaded_image

urlpatterns = [
    path("admin/", admin.site.urls),
    # django-markdownx's own URLs are deliberately not included: its views accept
    # anonymous users and trust uploads. The editor widget posts to these paths,
    # which check that the user is an editor.
    path("markdownx/markdownify/", markdown_preview, name="markdownx_markdownify"),
    path("markdownx/upload/", markdown_image_upload, name="markdownx_upload"),
    path("media/markdownx/<str:name>", uploaded_image, name="uploaded-image"),
    path("", include("knowledge.urls")),
]

from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

from knowledge.views import markdown_image_upload, markdown_preview

urlpatterns = [
    path("admin/", admin.site.urls),
    # django-markdownx's own URLs are deliberately not included: its views accept
    # anonymous users and trust uploads. The editor widget posts to these paths,
    # which check that the user is an editor.
    path("markdownx/markdownify/", markdown_preview, name="markdownx_markdownify"),
    path("markdownx/upload/", markdown_image_upload, name="markdownx_upload"),
    path("", include("knowledge.urls")),
]

if settings.DEBUG:  # in production the web server or object storage serves media
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

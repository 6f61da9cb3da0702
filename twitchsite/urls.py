from django.contrib import admin
from django.urls import include, path

from knowledge.views import markdown_preview

urlpatterns = [
    path("admin/", admin.site.urls),
    # django-markdownx's own URLs are deliberately not included: its views accept
    # anonymous users and trust uploads. The editor widget posts to this path.
    path("markdownx/markdownify/", markdown_preview, name="markdownx_markdownify"),
    path("", include("knowledge.urls")),
]

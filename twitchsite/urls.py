from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("search/", include("search.urls")),
    path("", include("editorial.urls")),
    path("", include("knowledge.urls")),
]

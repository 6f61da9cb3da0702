from django.urls import path

from knowledge import sitemaps, views
from knowledge.feeds import LatestArticlesFeed
from knowledge.tables.causes import CauseListView
from knowledge.tables.foods import FoodListView
from knowledge.tables.nutrients import NutrientListView
from knowledge.views import suggestions

app_name = "knowledge"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("articles/", views.ArticleListView.as_view(), name="article-list"),
    path(
        "articles/<slug:slug>/",
        views.ArticleDetailView.as_view(),
        name="article-detail",
    ),
    path("nutrients/", NutrientListView.as_view(), name="nutrient-list"),
    path(
        "nutrients/<slug:slug>/",
        views.NutrientDetailView.as_view(),
        name="nutrient-detail",
    ),
    path("causes/", CauseListView.as_view(), name="cause-list"),
    path("causes/<slug:slug>/", views.CauseDetailView.as_view(), name="cause-detail"),
    path("foods/", FoodListView.as_view(), name="food-list"),
    path("foods/<slug:slug>/", views.FoodDetailView.as_view(), name="food-detail"),
    path("conditions/", views.ConditionListView.as_view(), name="condition-list"),
    path(
        "conditions/<slug:slug>/",
        views.ConditionDetailView.as_view(),
        name="condition-detail",
    ),
    path("about/", views.AboutView.as_view(), name="about"),
    path("suggest/<slug:kind>/", suggestions.suggestions, name="suggestions"),
    path("feed/", LatestArticlesFeed(), name="feed"),
    path("sitemap.xml", sitemaps.sitemap_index, name="sitemap"),
    path(
        "sitemap-<slug:section>.xml",
        sitemaps.sitemap_section,
        name="sitemap-section",
    ),
    path("robots.txt", views.robots_txt, name="robots"),
]

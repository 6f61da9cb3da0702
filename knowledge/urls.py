from django.urls import path

from knowledge import views

app_name = "knowledge"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path(
        "articles/<slug:slug>/",
        views.ArticleDetailView.as_view(),
        name="article-detail",
    ),
    path(
        "nutrients/<slug:slug>/",
        views.NutrientDetailView.as_view(),
        name="nutrient-detail",
    ),
    path("causes/<slug:slug>/", views.CauseDetailView.as_view(), name="cause-detail"),
    path("foods/<slug:slug>/", views.FoodDetailView.as_view(), name="food-detail"),
]

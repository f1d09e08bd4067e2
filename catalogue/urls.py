from django.urls import path

from . import views

app_name = "catalogue"

urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search, name="search"),
    path("lookalikes/", views.lookalikes, name="lookalikes"),
    path("categories/<slug:slug>/", views.category_detail, name="category"),
    # Module names contain dots (os.path) and dashes (scikit-learn), never slashes.
    path("modules/<str:name>/", views.module_detail, name="module"),
]

from django.contrib import admin
from django.urls import include, path

from .views import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("accounts/", include("accounts.urls")),
    path("", include("quizzes.urls")),
    path("", include("classrooms.urls")),
    path("", include("catalogue.urls")),
]

# What is missing, in the site's layout (config.middleware.NotFoundPages does it with DEBUG on).
handler404 = "config.errors.page_not_found"

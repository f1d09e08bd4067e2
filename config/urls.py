from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("accounts.urls")),
    path("", include("quizzes.urls")),
    path("", include("classrooms.urls")),
    path("", include("catalogue.urls")),
]

from django.urls import path

from . import views

app_name = "classrooms"

urlpatterns = [
    # A teacher's classes.
    path("classes/", views.classroom_list, name="list"),
    path("classes/new/", views.classroom_create, name="create"),
    path("classes/<int:classroom_id>/", views.classroom_detail, name="detail"),
    path("classes/<int:classroom_id>/edit/", views.classroom_edit, name="edit"),
    path("classes/<int:classroom_id>/code/", views.join_code_regenerate, name="code"),
    path("classes/<int:classroom_id>/joining/", views.classroom_joining, name="joining"),
    path("classes/<int:classroom_id>/items/", views.items, name="items"),
    path(
        "classes/<int:classroom_id>/categories/<slug:slug>/",
        views.category_detail,
        name="category",
    ),
    path(
        "classes/<int:classroom_id>/students/<int:student_id>/",
        views.student_progress,
        name="student",
    ),
    path(
        "classes/<int:classroom_id>/students/<int:student_id>/remove/",
        views.student_remove,
        name="student_remove",
    ),
    path("classes/<int:classroom_id>/drills/new/", views.drill_create, name="drill_create"),
    path("classes/<int:classroom_id>/drills/<int:drill_id>/", views.drill_detail, name="drill"),
    path(
        "classes/<int:classroom_id>/drills/<int:drill_id>/worksheet/",
        views.drill_worksheet,
        name="worksheet",
    ),
    path("classes/<int:classroom_id>/drills.csv", views.export_drills, name="export_drills"),
    path("classes/<int:classroom_id>/mastery.csv", views.export_heatmap, name="export_heatmap"),
    # A student's side.
    path("join/", views.join, name="join"),
    path("join/<str:code>/", views.join, name="join_link"),
    path("classes/<int:classroom_id>/leave/", views.classroom_leave, name="leave"),
    path("drills/<int:drill_id>/start/", views.drill_start, name="drill_start"),
]

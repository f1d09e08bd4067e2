from django.urls import path

from . import views

app_name = "quizzes"

urlpatterns = [
    path("practice/", views.practice, name="practice"),
    path("practice/this/", views.practise_this, name="practise_this"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/history/", views.history, name="history"),
    path("review/", views.review, name="review"),
    path("weak-spots/", views.weak_spots, name="weak_spots"),
    path("quiz/<uuid:attempt_id>/", views.attempt_resume, name="attempt"),
    path("quiz/<uuid:attempt_id>/q/<int:position>/", views.question, name="question"),
    path("quiz/<uuid:attempt_id>/q/<int:position>/answer/", views.answer, name="answer"),
    path("quiz/<uuid:attempt_id>/q/<int:position>/correct/", views.answer_correct, name="correct"),
    path("quiz/<uuid:attempt_id>/summary/", views.summary, name="summary"),
    path("quiz/<uuid:attempt_id>/practise-again/", views.practise_again, name="practise_again"),
]

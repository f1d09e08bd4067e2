from django.contrib import admin
from django.http import HttpRequest

from .models import Answer, AskedQuestion, Attempt


class AskedQuestionInline(admin.TabularInline):
    model = AskedQuestion
    extra = 0
    can_delete = False
    fields = ("position", "kind", "module", "prompt", "right_answer", "shown_at")
    readonly_fields = fields


@admin.register(Attempt)
class AttemptAdmin(admin.ModelAdmin[Attempt]):
    """Attempts are records: readable for audits, never edited by hand."""

    list_display = [
        "public_id",
        "learner",
        "purpose",
        "started_at",
        "correct_count",
        "question_count",
    ]
    list_filter = ["purpose", "finished_at"]
    search_fields = ["public_id", "learner__username"]
    list_select_related = ["learner"]
    inlines = [AskedQuestionInline]

    def has_change_permission(self, request: HttpRequest, obj: Attempt | None = None) -> bool:
        return False


@admin.register(Answer)
class AnswerAdmin(admin.ModelAdmin[Answer]):
    list_display = [
        "question",
        "given",
        "is_correct",
        "gave_up",
        "corrected_at",
        "answered_at",
        "response_ms",
    ]
    list_filter = ["is_correct", "gave_up", "corrected_at"]
    list_select_related = ["question"]

    def has_change_permission(self, request: HttpRequest, obj: Answer | None = None) -> bool:
        return False

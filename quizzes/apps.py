from django.apps import AppConfig


class QuizzesConfig(AppConfig):
    name = "quizzes"

    def ready(self) -> None:
        from . import throttling  # noqa: F401  (counts failed log-ins per address)

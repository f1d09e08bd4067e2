from django.apps import AppConfig


class QuizzesConfig(AppConfig):
    name = "quizzes"

    def ready(self) -> None:
        from config.sqlite3.base import temp_schema

        from .services.one_trip import SQLITE_WRITER

        temp_schema(SQLITE_WRITER)  # every SQLite connection makes the answer's writer

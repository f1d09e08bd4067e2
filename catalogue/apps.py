from django.apps import AppConfig


class CatalogueConfig(AppConfig):
    name = "catalogue"
    verbose_name = "Module catalogue"

    def ready(self) -> None:
        from . import signals  # noqa: F401  (connects the version bumps)

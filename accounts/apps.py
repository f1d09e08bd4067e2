from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"

    def ready(self) -> None:
        from . import throttling  # noqa: F401  (counts failed log-ins per address)

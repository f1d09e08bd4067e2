from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"

    def ready(self) -> None:
        from . import (  # noqa: F401
            signals,  # a user renamed is shown afresh on the dashboards
            throttling,  # counts failed log-ins per address
        )

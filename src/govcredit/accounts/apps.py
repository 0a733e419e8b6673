from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "govcredit.accounts"
    verbose_name = "用户与单位"

    def ready(self) -> None:
        from . import middleware  # noqa: F401 - connects the user_logged_in receiver (idle clock)

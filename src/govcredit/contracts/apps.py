from django.apps import AppConfig


class ContractsConfig(AppConfig):
    name = "govcredit.contracts"
    label = "contracts"
    verbose_name = "政府合同与清欠"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import services  # noqa: F401  (registers the audit labels)

from django.apps import AppConfig


class DutiesConfig(AppConfig):
    name = "govcredit.duties"
    label = "duties"
    verbose_name = "履职事项与失信线索"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from govcredit.core.signals import record_changed

        from . import receivers

        record_changed.connect(receivers.on_record_changed, dispatch_uid="duties.findings")

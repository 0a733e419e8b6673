from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "govcredit.supervision"
    label = "supervision"
    verbose_name = "多方监督（投诉举报、建议提案、典型案例）"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from govcredit.core.signals import record_changed

        from . import receivers

        record_changed.connect(receivers.on_record_changed, dispatch_uid="supervision.typical_cases")

from django.apps import AppConfig


class SanctionsConfig(AppConfig):
    name = "govcredit.sanctions"
    verbose_name = "联合奖惩"

    def ready(self) -> None:
        from govcredit.core.signals import record_changed

        from .receivers import on_record_changed

        record_changed.connect(on_record_changed, dispatch_uid="govcredit.sanctions.record_changed")

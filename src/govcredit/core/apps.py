from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "govcredit.core"
    verbose_name = "基础"

    def ready(self) -> None:
        from . import public_version
        from .signals import record_changed

        record_changed.connect(public_version.on_record_changed, dispatch_uid="core.public_version")

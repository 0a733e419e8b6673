from django.apps import AppConfig


class ExchangeConfig(AppConfig):
    name = "govcredit.exchange"
    verbose_name = "数据交换"

    def ready(self) -> None:
        from govcredit.core.signals import record_changed

        from .outbox import on_record_changed

        record_changed.connect(on_record_changed, dispatch_uid="govcredit.exchange.outbox")

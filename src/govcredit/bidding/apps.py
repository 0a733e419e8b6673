from django.apps import AppConfig


class BiddingConfig(AppConfig):
    name = "govcredit.bidding"
    verbose_name = "招标投标信用"

    def ready(self) -> None:
        from govcredit.core.signals import record_changed

        from .receivers import on_record_changed

        # Connected after sanctions' receiver (INSTALLED_APPS order): the sanction exists when this runs.
        record_changed.connect(on_record_changed, dispatch_uid="govcredit.bidding.record_changed")

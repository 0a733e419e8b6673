from django.apps import AppConfig


class DisputesConfig(AppConfig):
    name = "govcredit.disputes"
    verbose_name = "异议与修复"

    def ready(self) -> None:
        from django.db import transaction
        from django.db.models.signals import post_delete, post_save

        from govcredit.core.models import CalendarYear, HolidayOverride

        def calendar_changed(**kwargs):
            # A year's table entered or a holiday corrected: recompute open deadlines after commit.
            from .services import refresh_deadlines

            transaction.on_commit(refresh_deadlines)

        for model in (CalendarYear, HolidayOverride):
            post_save.connect(
                calendar_changed, sender=model, weak=False, dispatch_uid=f"disputes-{model.__name__}-save"
            )
            post_delete.connect(
                calendar_changed, sender=model, dispatch_uid=f"disputes-{model.__name__}-delete"
            )

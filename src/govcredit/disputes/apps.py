from django.apps import AppConfig


class DisputesConfig(AppConfig):
    name = "govcredit.disputes"
    verbose_name = "异议与修复"

from django.apps import AppConfig


class SanctionsConfig(AppConfig):
    name = "govcredit.sanctions"
    verbose_name = "联合奖惩"

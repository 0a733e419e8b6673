from django.apps import AppConfig


class DebtConfig(AppConfig):
    name = "govcredit.debt"
    verbose_name = "政府债务"

from django.apps import AppConfig


class RecordsConfig(AppConfig):
    name = "govcredit.records"
    verbose_name = "信用记录"

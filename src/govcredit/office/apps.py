from django.apps import AppConfig


class OfficeConfig(AppConfig):
    name = "govcredit.office"
    verbose_name = "管理后台"

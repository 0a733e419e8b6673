from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "govcredit.catalog"
    verbose_name = "信用信息目录"

from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "govcredit.api"
    verbose_name = "接口"

from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "govcredit.portal"
    verbose_name = "信用周村"

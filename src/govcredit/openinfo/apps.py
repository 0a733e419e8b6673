from django.apps import AppConfig


class OpeninfoConfig(AppConfig):
    name = "govcredit.openinfo"
    label = "openinfo"
    verbose_name = "政府信息公开"
    default_auto_field = "django.db.models.BigAutoField"

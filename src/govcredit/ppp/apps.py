from django.apps import AppConfig


class PppConfig(AppConfig):
    name = "govcredit.ppp"
    label = "ppp"
    verbose_name = "PPP项目"
    default_auto_field = "django.db.models.BigAutoField"

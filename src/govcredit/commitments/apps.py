from django.apps import AppConfig


class CommitmentsConfig(AppConfig):
    name = "govcredit.commitments"
    label = "commitments"
    verbose_name = "承诺践诺"
    default_auto_field = "django.db.models.BigAutoField"

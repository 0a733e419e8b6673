from django.apps import AppConfig


class DecisionsConfig(AppConfig):
    name = "govcredit.decisions"
    label = "decisions"
    verbose_name = "重大行政决策"
    default_auto_field = "django.db.models.BigAutoField"

from django.apps import AppConfig


class EfficiencyConfig(AppConfig):
    name = "govcredit.efficiency"
    label = "efficiency"
    verbose_name = "服务承诺与蜗牛奖"
    default_auto_field = "django.db.models.BigAutoField"

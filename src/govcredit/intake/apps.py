from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "govcredit.intake"
    verbose_name = "数据报送"

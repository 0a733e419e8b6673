from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "govcredit.evaluation"
    label = "evaluation"
    verbose_name = "政务诚信评价"

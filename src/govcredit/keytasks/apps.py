from django.apps import AppConfig


class KeyTasksConfig(AppConfig):
    name = "govcredit.keytasks"
    label = "keytasks"
    verbose_name = "重点任务分工"

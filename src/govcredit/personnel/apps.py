from django.apps import AppConfig


class PersonnelConfig(AppConfig):
    name = "govcredit.personnel"
    verbose_name = "公务员信用档案"

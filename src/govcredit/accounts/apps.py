from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "govcredit.accounts"
    verbose_name = "用户与单位"

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "mastery.accounts"
    verbose_name = "Accounts"

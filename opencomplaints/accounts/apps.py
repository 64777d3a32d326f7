from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "opencomplaints.accounts"
    label = "accounts"
    verbose_name = "Accounts"

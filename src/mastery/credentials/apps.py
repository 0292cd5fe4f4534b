from django.apps import AppConfig


class CredentialsConfig(AppConfig):
    name = "mastery.credentials"
    verbose_name = "Credentials"

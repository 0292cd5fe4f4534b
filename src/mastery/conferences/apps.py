from django.apps import AppConfig


class ConferencesConfig(AppConfig):
    name = "mastery.conferences"
    verbose_name = "Student-led conferences"

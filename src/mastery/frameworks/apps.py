from django.apps import AppConfig


class FrameworksConfig(AppConfig):
    name = "mastery.frameworks"
    verbose_name = "Frameworks"

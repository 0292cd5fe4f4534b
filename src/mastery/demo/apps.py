from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "mastery.demo"
    verbose_name = "Demo school"

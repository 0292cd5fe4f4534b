from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "mastery.web"
    verbose_name = "Pages"

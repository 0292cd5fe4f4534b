from django.apps import AppConfig


class RostersConfig(AppConfig):
    name = "mastery.rosters"
    verbose_name = "Rosters"

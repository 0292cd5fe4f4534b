from django.apps import AppConfig


class SchoolsConfig(AppConfig):
    name = "mastery.schools"
    verbose_name = "Schools and people"

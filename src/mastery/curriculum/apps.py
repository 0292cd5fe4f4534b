from django.apps import AppConfig


class CurriculumConfig(AppConfig):
    name = "mastery.curriculum"
    verbose_name = "Curriculum"

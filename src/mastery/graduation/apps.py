from django.apps import AppConfig


class GraduationConfig(AppConfig):
    name = "mastery.graduation"
    verbose_name = "Credits and graduation"

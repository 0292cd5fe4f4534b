from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "mastery.reports"
    verbose_name = "Reports"

from django.apps import AppConfig


class EvidenceConfig(AppConfig):
    name = "mastery.evidence"
    verbose_name = "Evidence"

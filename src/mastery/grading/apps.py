from django.apps import AppConfig


class GradingConfig(AppConfig):
    name = "mastery.grading"
    verbose_name = "Grading"

    def ready(self) -> None:
        from django.db.models.signals import post_save, pre_save

        from mastery.calendar.models import Term
        from mastery.curriculum.signals import due_date_changed
        from mastery.evidence.signals import evidence_appended
        from mastery.grading.recompute import on_due_date_changed, on_evidence_appended
        from mastery.grading.term_end import on_term_saved, on_term_saving

        evidence_appended.connect(on_evidence_appended, dispatch_uid="grading-recompute")
        due_date_changed.connect(on_due_date_changed, dispatch_uid="grading-due-dates")
        pre_save.connect(on_term_saving, sender=Term, dispatch_uid="grading-term-end-before")
        post_save.connect(on_term_saved, sender=Term, dispatch_uid="grading-term-end")

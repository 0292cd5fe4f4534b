from django.apps import AppConfig


class GraduationConfig(AppConfig):
    name = "mastery.graduation"
    verbose_name = "Credits and graduation"

    def ready(self) -> None:
        # Graduation sits above grading: it hands the policy simulator its credit calculation,
        # so that grading never imports graduation.
        from mastery.grading import api as grading
        from mastery.graduation.credits import compare_credits

        grading.use_credit_comparison(compare_credits)

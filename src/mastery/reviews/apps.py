from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "mastery.reviews"
    verbose_name = "Review requests"

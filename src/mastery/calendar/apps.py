from django.apps import AppConfig


class CalendarConfig(AppConfig):
    name = "mastery.calendar"
    label = "school_calendar"
    verbose_name = "Calendar"

from django.contrib import admin
from django.forms import ModelForm
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from mastery.curriculum.models import (
    Alignment,
    Course,
    CourseCompetency,
    CreditArea,
    LearningExperience,
)
from mastery.curriculum.signals import due_date_changed


@admin.register(CreditArea)
class CreditAreaAdmin(admin.ModelAdmin):
    list_display = ("name", "key", "school")


class CourseCompetencyInline(admin.TabularInline):
    model = CourseCompetency
    extra = 0


@admin.register(Course)
class CourseAdmin(SimpleHistoryAdmin):
    list_display = ("key", "title", "credit_area", "credit_value", "grade_levels")
    list_filter = ("school", "credit_area")
    search_fields = ("key", "title")
    inlines = [CourseCompetencyInline]


class AlignmentInline(admin.TabularInline):
    model = Alignment
    extra = 0


@admin.register(LearningExperience)
class LearningExperienceAdmin(admin.ModelAdmin):
    list_display = ("title", "key", "course", "kind", "position", "due_on")
    list_filter = ("course", "kind")
    search_fields = ("title", "key")
    date_hierarchy = "due_on"
    inlines = [AlignmentInline]

    def save_model(
        self, request: HttpRequest, obj: LearningExperience, form: ModelForm, change: bool
    ) -> None:
        """As `api.update_learning_experience` does: ratings ordered by due date follow."""
        super().save_model(request, obj, form, change)
        if change and "due_on" in form.changed_data:
            due_date_changed.send(sender=LearningExperience, experience=obj)

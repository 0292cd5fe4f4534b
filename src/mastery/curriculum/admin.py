from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from mastery.curriculum.models import (
    Alignment,
    Course,
    CourseCompetency,
    CreditArea,
    LearningExperience,
)


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
    list_display = ("title", "key", "course", "kind", "position")
    list_filter = ("course", "kind")
    search_fields = ("title", "key")
    inlines = [AlignmentInline]

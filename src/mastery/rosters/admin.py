from django.contrib import admin

from mastery.rosters.models import (
    Enrollment,
    ReassessmentOpportunity,
    Section,
    TeachingAssignment,
)


class TeachingAssignmentInline(admin.TabularInline):
    model = TeachingAssignment
    extra = 0


class EnrollmentInline(admin.TabularInline):
    model = Enrollment
    extra = 0
    fields = ("student", "enrolled_on", "withdrawn_on")
    raw_id_fields = ("student",)


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ("key", "course", "term", "period", "room")
    list_filter = ("term", "course__credit_area")
    search_fields = ("key", "course__title")
    inlines = [TeachingAssignmentInline, EnrollmentInline]


@admin.register(ReassessmentOpportunity)
class ReassessmentOpportunityAdmin(admin.ModelAdmin):
    list_display = ["title", "section", "opens_on", "closes_on", "created_by"]
    list_filter = ["section__term"]
    search_fields = ["title", "section__key"]
    filter_horizontal = ["subskills"]
    raw_id_fields = ["section", "learning_experience", "created_by"]

from django.contrib import admin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from mastery.conferences.models import Conference, Goal


class GoalInline(admin.TabularInline):
    model = Goal
    extra = 0
    fields = ("text", "status", "agreed", "due_on", "proposed_by")
    readonly_fields = fields
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: Conference | None = None) -> bool:
        return False


@admin.register(Conference)
class ConferenceAdmin(SimpleHistoryAdmin):
    """Conferences are prepared by the student and recorded by their advisor in the pages;
    the admin shows them and their history."""

    list_display = ("student", "status", "term", "held_on", "advisor", "follow_up_on")
    list_filter = ("status", "student__school")
    search_fields = ("student__user__first_name", "student__user__last_name")
    readonly_fields = (
        "student",
        "term",
        "status",
        "strengths",
        "growth_areas",
        "chosen_evidence",
        "prepared_at",
        "advisor",
        "notes",
        "held_on",
        "follow_up_on",
        "recorded_by",
        "recorded_at",
    )
    inlines = [GoalInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(Goal)
class GoalAdmin(SimpleHistoryAdmin):
    list_display = ("text", "student", "status", "agreed", "due_on")
    list_filter = ("status", "agreed", "student__school")
    search_fields = ("text", "student__user__first_name", "student__user__last_name")
    readonly_fields = ("student", "conference", "text", "proposed_by", "agreed", "due_on")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

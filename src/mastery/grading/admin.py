from django.contrib import admin
from django.http import HttpRequest

from mastery.grading.models import Policy, PolicyVersion, Rating, RecomputeRun, VersionStatus


class PolicyVersionInline(admin.TabularInline):
    model = PolicyVersion
    extra = 0
    fields = ("number", "status", "effective_on", "published_at", "notes")
    readonly_fields = fields
    can_delete = False


@admin.register(Policy)
class PolicyAdmin(admin.ModelAdmin):
    list_display = ("name", "key", "school", "credit_area")
    inlines = [PolicyVersionInline]


@admin.register(PolicyVersion)
class PolicyVersionAdmin(admin.ModelAdmin):
    list_display = ("policy", "number", "status", "effective_on", "published_at")
    list_filter = ("status", "policy__school")

    def has_change_permission(self, request: HttpRequest, obj: PolicyVersion | None = None) -> bool:
        # A published version is never edited: a change is a new draft.
        if obj is not None and obj.status == VersionStatus.PUBLISHED:
            return False
        return super().has_change_permission(request, obj)


@admin.register(Rating)
class RatingAdmin(admin.ModelAdmin):
    """Ratings are derived from evidence and policy: shown here, never typed in."""

    list_display = (
        "student",
        "kind",
        "subskill",
        "competency",
        "section",
        "level_label",
        "value",
        "grade",
        "mastered",
    )
    list_filter = ("kind", "status", "mastered")
    search_fields = ("student__user__last_name", "student__student_number")
    list_select_related = ("student__user", "subskill", "competency", "section")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(RecomputeRun)
class RecomputeRunAdmin(admin.ModelAdmin):
    list_display = (
        "school",
        "status",
        "done_students",
        "total_students",
        "ratings_written",
        "created_at",
    )
    readonly_fields = [field.name for field in RecomputeRun._meta.fields]

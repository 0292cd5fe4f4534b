from django.contrib import admin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from mastery.reviews.models import ReviewRequest


@admin.register(ReviewRequest)
class ReviewRequestAdmin(SimpleHistoryAdmin):
    """Requests are filed by families and answered by teachers in the pages; the record is
    kept as it happened, so it is shown here and never typed in."""

    list_display = ("student", "section", "target_label", "status", "outcome", "requested_at")
    list_filter = ("status", "outcome", "section__course__school")
    search_fields = ("student__user__last_name", "student__student_number", "reason", "answer")
    list_select_related = (
        "student__user",
        "section__course",
        "competency",
        "subskill",
        "term_grade",
    )
    readonly_fields = [field.name for field in ReviewRequest._meta.fields] + ["corrected_evidence"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

from django.contrib import admin
from django.http import HttpRequest

from mastery.credentials.models import Transcript


@admin.register(Transcript)
class TranscriptAdmin(admin.ModelAdmin):
    """Finalized transcripts, to look at: they are issued from the transcript page and never
    edited (a new one supersedes the old)."""

    list_display = ("student", "issued_at", "finalized_by", "key_id")
    list_filter = ("student__school",)
    search_fields = ("student__user__last_name", "student__student_number")
    readonly_fields = (
        "uuid",
        "student",
        "issued_at",
        "finalized_by",
        "key_id",
        "credential",
        "signed",
    )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Transcript | None = None) -> bool:
        return False

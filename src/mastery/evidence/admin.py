from django.contrib import admin
from django.http import HttpRequest

from mastery.evidence.models import Evidence


@admin.register(Evidence)
class EvidenceAdmin(admin.ModelAdmin):
    """The ledger, read-only: evidence is recorded, corrected and voided through Mastery's pages,
    which keep who, when and why."""

    list_display = ("student", "subskill", "competency", "level", "assessed_on", "source", "kind")
    list_filter = ("source", "kind", "assessed_on")
    search_fields = ("student__user__last_name", "student__student_number", "subskill__key")
    date_hierarchy = "assessed_on"
    list_select_related = ("student__user", "subskill", "competency")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

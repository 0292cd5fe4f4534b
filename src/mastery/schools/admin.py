from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from mastery.schools.models import District, Guardianship, Membership, School, Student


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ("name", "key")
    search_fields = ("name", "key")


@admin.register(School)
class SchoolAdmin(admin.ModelAdmin):
    list_display = ("name", "key", "district", "lowest_grade", "highest_grade")
    search_fields = ("name", "key")


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ("user", "school", "role", "title")
    list_filter = ("school", "role")
    search_fields = ("user__username", "user__first_name", "user__last_name")
    autocomplete_fields = ("user",)


class GuardianshipInline(admin.TabularInline):
    model = Guardianship
    extra = 0
    autocomplete_fields = ("guardian",)


@admin.register(Student)
class StudentAdmin(SimpleHistoryAdmin):
    list_display = ("__str__", "student_number", "grade_level", "graduation_year", "school")
    list_filter = ("school", "grade_level", "graduation_year")
    search_fields = ("user__first_name", "user__last_name", "student_number")
    autocomplete_fields = ("user",)
    inlines = [GuardianshipInline]

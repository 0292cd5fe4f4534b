from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from mastery.accounts.models import User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ("username", "first_name", "last_name", "email", "is_staff", "is_active")
    fieldsets = (
        *(DjangoUserAdmin.fieldsets or ()),
        ("Mastery", {"fields": ("preferred_language", "uuid")}),
    )
    readonly_fields = ("uuid",)

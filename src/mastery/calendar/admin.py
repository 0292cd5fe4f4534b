from django.contrib import admin

from mastery.calendar.models import GradingPeriod, SchoolYear, Term


class TermInline(admin.TabularInline):
    model = Term
    extra = 0


class GradingPeriodInline(admin.TabularInline):
    model = GradingPeriod
    extra = 0


@admin.register(SchoolYear)
class SchoolYearAdmin(admin.ModelAdmin):
    list_display = ("key", "school", "starts_on", "ends_on")
    list_filter = ("school",)
    inlines = [TermInline]


@admin.register(Term)
class TermAdmin(admin.ModelAdmin):
    list_display = ("name", "key", "school_year", "starts_on", "ends_on")
    list_filter = ("school_year__school",)
    inlines = [GradingPeriodInline]

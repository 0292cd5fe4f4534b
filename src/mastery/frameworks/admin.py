from django.contrib import admin

from mastery.frameworks.models import (
    Competency,
    Exemplar,
    Framework,
    GradeBand,
    PerformanceLevel,
    PerformanceScale,
    RubricDescriptor,
    Subskill,
)


class PerformanceLevelInline(admin.TabularInline):
    model = PerformanceLevel
    extra = 0
    fields = ("value", "label", "description", "cut_score", "is_mastery")


@admin.register(PerformanceScale)
class PerformanceScaleAdmin(admin.ModelAdmin):
    list_display = ("name", "key", "school")
    inlines = [PerformanceLevelInline]


class GradeBandInline(admin.TabularInline):
    model = GradeBand
    extra = 0


@admin.register(Framework)
class FrameworkAdmin(admin.ModelAdmin):
    list_display = ("title", "key", "school", "status", "published_at")
    list_filter = ("school", "status")
    inlines = [GradeBandInline]


class SubskillInline(admin.TabularInline):
    model = Subskill
    extra = 0
    fields = ("position", "key", "title", "grade_band")


@admin.register(Competency)
class CompetencyAdmin(admin.ModelAdmin):
    list_display = ("title", "key", "framework", "position")
    list_filter = ("framework",)
    search_fields = ("title", "key")
    inlines = [SubskillInline]


class RubricDescriptorInline(admin.TabularInline):
    model = RubricDescriptor
    extra = 0
    fields = ("level", "grade_band", "text")


@admin.register(Subskill)
class SubskillAdmin(admin.ModelAdmin):
    list_display = ("key", "title", "competency", "grade_band", "position")
    list_filter = ("competency__framework", "competency", "grade_band")
    search_fields = ("key", "title")
    inlines = [RubricDescriptorInline]


@admin.register(Exemplar)
class ExemplarAdmin(admin.ModelAdmin):
    list_display = ("caption", "subskill", "level", "uploaded_by")
    list_filter = ("level",)

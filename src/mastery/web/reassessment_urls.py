from django.urls import path

from mastery.web import reassessment_views

urlpatterns = [
    path(
        "sections/<uuid:section_uuid>/reassessments/",
        reassessment_views.section_reassessments,
        name="section-reassessments",
    ),
    path(
        "sections/<uuid:section_uuid>/reassessments/open/",
        reassessment_views.open_reassessment,
        name="open-reassessment",
    ),
]

"""A student's own pages and their family's (the dashboard is `student-detail`)."""

from django.urls import path

from mastery.web import student_views

urlpatterns = [
    path(
        "students/<uuid:student_uuid>/competencies/<uuid:competency_uuid>/",
        student_views.competency_detail,
        name="student-competency",
    ),
    path(
        "students/<uuid:student_uuid>/experiences/<uuid:experience_uuid>/self-assessment/",
        student_views.self_assessment,
        name="self-assessment",
    ),
    path(
        "students/<uuid:student_uuid>/calibration/",
        student_views.calibration,
        name="student-calibration",
    ),
    path(
        "students/<uuid:student_uuid>/calibration.svg",
        student_views.calibration_chart,
        name="student-calibration-chart",
    ),
    path(
        "sections/<uuid:section_uuid>/calibration/",
        student_views.section_calibration,
        name="section-calibration",
    ),
    path(
        "sections/<uuid:section_uuid>/calibration.svg",
        student_views.section_calibration_chart,
        name="section-calibration-chart",
    ),
    path(
        "exemplars/<uuid:exemplar_uuid>/",
        student_views.exemplar_file,
        name="exemplar-file",
    ),
]

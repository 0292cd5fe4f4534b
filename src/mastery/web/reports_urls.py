"""Report and transcript pages (progress reports, report cards, mastery transcripts)."""

from django.urls import path

from mastery.web import reports_views

urlpatterns = [
    path(
        "students/<uuid:student_uuid>/reports/",
        reports_views.student_reports,
        name="student-reports",
    ),
    path(
        "students/<uuid:student_uuid>/reports/transcript/",
        reports_views.transcript,
        name="mastery-transcript",
    ),
    path(
        "students/<uuid:student_uuid>/reports/transcript.pdf",
        reports_views.transcript_pdf,
        name="mastery-transcript-pdf",
    ),
    path(
        "students/<uuid:student_uuid>/reports/<uuid:term_uuid>/",
        reports_views.progress_report,
        name="progress-report",
    ),
    path(
        "students/<uuid:student_uuid>/reports/<uuid:term_uuid>.pdf",
        reports_views.progress_report_pdf,
        name="progress-report-pdf",
    ),
    path(
        "students/<uuid:student_uuid>/competencies/<uuid:competency_uuid>/progress.svg",
        reports_views.competency_progress_chart,
        name="competency-progress-chart",
    ),
    path(
        "sections/<uuid:section_uuid>/distribution.svg",
        reports_views.section_distribution_chart,
        name="section-distribution-chart",
    ),
    path(
        "sections/<uuid:section_uuid>/report-cards/",
        reports_views.section_report_cards,
        name="section-report-cards",
    ),
    path(
        "schools/<uuid:school_uuid>/report-cards/",
        reports_views.school_report_cards,
        name="school-report-cards",
    ),
    path("report-cards/<uuid:run_uuid>/", reports_views.report_run, name="report-run"),
    path(
        "report-cards/<uuid:run_uuid>/download/",
        reports_views.report_run_download,
        name="report-run-download",
    ),
]

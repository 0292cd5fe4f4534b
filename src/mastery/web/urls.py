from django.contrib.auth import views as auth_views
from django.urls import include, path

from mastery.web import (
    drill_down_views,
    exports,
    gradebook_views,
    review_views,
    scoring_views,
    student_views,
    views,
)
from mastery.web.forms import SignInForm

urlpatterns = [
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(
            template_name="web/login.html",
            authentication_form=SignInForm,
            redirect_authenticated_user=True,
        ),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/me/", views.account, name="account"),
    path("accounts/language/", views.choose_language, name="choose-language"),
    path("", views.home, name="home"),
    path("sections/<uuid:section_uuid>/", views.section_detail, name="section-detail"),
    path("students/<uuid:student_uuid>/", student_views.student_detail, name="student-detail"),
    path("sections/<uuid:section_uuid>/gradebook/", gradebook_views.gradebook, name="gradebook"),
    path(
        "sections/<uuid:section_uuid>/gradebook.<str:fmt>",
        exports.gradebook_export,
        name="gradebook-export",
    ),
    path(
        "sections/<uuid:section_uuid>/students/<uuid:student_uuid>/<str:kind>/<uuid:target_uuid>/",
        drill_down_views.drill_down,
        name="drill-down",
    ),
    path(
        "sections/<uuid:section_uuid>/evidence/<uuid:evidence_uuid>/correct/",
        drill_down_views.correct_at_bat,
        name="correct-at-bat",
    ),
    path(
        "sections/<uuid:section_uuid>/evidence/<uuid:evidence_uuid>/void/",
        drill_down_views.void_at_bat,
        name="void-at-bat",
    ),
    path("sections/<uuid:section_uuid>/score/", scoring_views.score_pick, name="score-pick"),
    path(
        "sections/<uuid:section_uuid>/experiences/<uuid:experience_uuid>/score/",
        scoring_views.score_grid,
        name="score-grid",
    ),
    path(
        "sections/<uuid:section_uuid>/experiences/<uuid:experience_uuid>/score/save/",
        scoring_views.save_score,
        name="score-save",
    ),
    path(
        "sections/<uuid:section_uuid>/experiences/<uuid:experience_uuid>/score/row/",
        scoring_views.save_row_details,
        name="score-row",
    ),
    path(
        "sections/<uuid:section_uuid>/experiences/<uuid:experience_uuid>/scores.<str:fmt>",
        exports.scores_export,
        name="scores-export",
    ),
    path("sections/<uuid:section_uuid>/review/", review_views.term_review, name="term-review"),
    path(
        "sections/<uuid:section_uuid>/review/<uuid:student_uuid>/finalize/",
        review_views.finalize_grade,
        name="finalize-grade",
    ),
    path(
        "sections/<uuid:section_uuid>/review/<uuid:student_uuid>/reopen/",
        review_views.reopen_grade,
        name="reopen-grade",
    ),
    path("", include("mastery.web.reports_urls")),
    path("", include("mastery.web.policy_urls")),
    path("", include("mastery.web.transcript_urls")),
    path("", include("mastery.web.student_urls")),
    path("", include("mastery.web.conference_urls")),
    path("", include("mastery.web.review_request_urls")),
    path("", include("mastery.web.reassessment_urls")),
]

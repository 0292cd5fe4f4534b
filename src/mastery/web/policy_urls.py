"""Grading policy pages (editor, simulator, how grading works)."""

from django.urls import path

from mastery.web import graduation_views, policy_views

urlpatterns = [
    path("graduation/audit/", graduation_views.graduation_audit, name="graduation-audit"),
    path("how-grading-works/", policy_views.how_grading_works, name="how-grading-works"),
    path("policy/", policy_views.policy_overview, name="policy-overview"),
    path(
        "policy/schools/<uuid:school_uuid>/create/",
        policy_views.create_policy,
        name="policy-create",
    ),
    path(
        "policy/versions/<uuid:version_uuid>/document/",
        policy_views.policy_document,
        name="policy-document",
    ),
    path(
        "policy/versions/<uuid:version_uuid>/", policy_views.policy_version, name="policy-version"
    ),
    path(
        "policy/versions/<uuid:version_uuid>/draft/",
        policy_views.draft_new_version,
        name="policy-draft",
    ),
    path(
        "policy/versions/<uuid:version_uuid>/simulate/",
        policy_views.simulate_version,
        name="policy-simulate",
    ),
    path(
        "policy/versions/<uuid:version_uuid>/publish/", policy_views.publish, name="policy-publish"
    ),
    path("policy/simulations/<uuid:run_uuid>/", policy_views.simulation, name="policy-simulation"),
    path(
        "policy/simulations/<uuid:run_uuid>.csv",
        policy_views.simulation_csv,
        name="policy-simulation-csv",
    ),
]

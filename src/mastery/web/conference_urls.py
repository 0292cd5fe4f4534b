"""Student-led conferences and goals, under the student they belong to."""

from django.urls import path

from mastery.web import conference_views

urlpatterns = [
    path(
        "students/<uuid:student_uuid>/conferences/",
        conference_views.conference_list,
        name="conference-list",
    ),
    path(
        "students/<uuid:student_uuid>/conferences/new/",
        conference_views.conference_new,
        name="conference-new",
    ),
    path(
        "students/<uuid:student_uuid>/conferences/<uuid:conference_uuid>/",
        conference_views.conference_detail,
        name="conference-detail",
    ),
    path(
        "students/<uuid:student_uuid>/conferences/<uuid:conference_uuid>/prepare/",
        conference_views.conference_prepare,
        name="conference-prepare",
    ),
    path(
        "students/<uuid:student_uuid>/conferences/<uuid:conference_uuid>/record/",
        conference_views.conference_record,
        name="conference-record",
    ),
    path(
        "students/<uuid:student_uuid>/goals/<uuid:goal_uuid>/status/",
        conference_views.goal_status,
        name="goal-status",
    ),
]

"""Review requests: the family's list and form under the student, the teacher's inbox, and one
request (read by the family, answered by the teacher)."""

from django.urls import path

from mastery.web import review_request_views as views

urlpatterns = [
    path(
        "students/<uuid:student_uuid>/reviews/",
        views.family_requests,
        name="review-requests-for-student",
    ),
    path(
        "students/<uuid:student_uuid>/reviews/new/",
        views.new_request,
        name="review-request-new",
    ),
    path("reviews/", views.inbox, name="review-request-inbox"),
    path("reviews/<uuid:review_uuid>/", views.request_detail, name="review-request-detail"),
    path(
        "reviews/<uuid:review_uuid>/answer/",
        views.answer_request,
        name="review-request-answer",
    ),
]

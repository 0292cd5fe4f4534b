"""Mastery transcript credentials: finalize, read, download, and the public verification key."""

from django.urls import path

from mastery.web import transcript_views

urlpatterns = [
    path(
        ".well-known/mastery-credential-key.json",
        transcript_views.credential_key,
        name="credential-key",
    ),
    path(
        "students/<uuid:student_uuid>/transcript/", transcript_views.transcript, name="transcript"
    ),
    path(
        "students/<uuid:student_uuid>/transcript/finalize/",
        transcript_views.finalize_transcript,
        name="transcript-finalize",
    ),
    path(
        "students/<uuid:student_uuid>/transcript.<str:fmt>",
        transcript_views.download_transcript,
        name="transcript-download",
    ),
]

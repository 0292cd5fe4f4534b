"""The site's URLs with the transcript pages, as web/urls.py will include them."""

from django.urls import include, path

urlpatterns = [
    path("", include("mastery.web.transcript_urls")),
    path("", include("mastery.urls")),
]

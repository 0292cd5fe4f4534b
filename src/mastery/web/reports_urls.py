"""Report and transcript pages (progress reports, report cards, mastery transcripts)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []

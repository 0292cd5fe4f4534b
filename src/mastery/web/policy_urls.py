"""Grading policy pages (editor, simulator, how grading works)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []

"""Mastery: competency-based education for real."""

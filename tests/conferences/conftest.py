"""The app tests run on the same day and under the same policy as the page tests."""

from tests.web.conftest import graded_world, today

__all__ = ["graded_world", "today"]

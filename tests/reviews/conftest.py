# The pages' world and clock: a published policy, and 2 November 2026.
from tests.web.conftest import graded_world, today  # noqa: F401

import pytest

from tests.world import World, build_world


@pytest.fixture(autouse=True)
def empty_cache() -> None:
    """Each test starts with an empty cache: test databases reuse ids."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def world(db: None) -> World:
    return build_world()

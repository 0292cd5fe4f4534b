"""An experience's alignment to a subskill, found for the course that owns the experience."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mastery.curriculum import api as curriculum
from mastery.curriculum.models import Alignment
from tests.world import World

pytestmark = pytest.mark.django_db


def test_an_aligned_experience_and_subskill_come_with_the_scale_in_one_query(world: World) -> None:
    with CaptureQueriesContext(connection) as captured:
        alignment = curriculum.get_alignment(
            world.algebra.pk,
            experience_uuid=world.essay.uuid,
            subskill_uuid=world.claims.uuid,
        )
        scale = alignment.subskill.competency.framework.scale

    assert (alignment.experience, alignment.subskill) == (world.essay, world.claims)
    assert scale == world.scale
    assert len(captured) == 1


def test_a_subskill_the_experience_is_not_aligned_to_is_not_found(world: World) -> None:
    with pytest.raises(Alignment.DoesNotExist):
        curriculum.get_alignment(
            world.algebra.pk,
            experience_uuid=world.essay.uuid,
            subskill_uuid=world.evidence_use.uuid,
        )


def test_another_course_s_experience_is_not_found(world: World) -> None:
    biology = world.biology_section.course
    with pytest.raises(Alignment.DoesNotExist):
        curriculum.get_alignment(
            biology.pk, experience_uuid=world.essay.uuid, subskill_uuid=world.claims.uuid
        )

"""Every chart is an SVG document of its own (web.charts): the same content security policy,
which lets matplotlib's inline styles through and nothing else, and never cached."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from mastery.evidence import api as evidence
from tests.world import World

pytestmark = pytest.mark.django_db


def _chart_urls(world: World) -> list[str]:
    return [
        reverse("competency-progress-chart", args=[world.maya.uuid, world.writing.uuid]),
        reverse("section-distribution-chart", args=[world.algebra_section.uuid]),
        reverse("student-calibration-chart", args=[world.maya.uuid]),
        reverse("section-calibration-chart", args=[world.algebra_section.uuid]),
    ]


def test_every_chart_is_served_alike_as_an_uncached_svg_under_the_chart_policy(
    client: Client, graded_world: World, today: datetime.date
) -> None:
    world = graded_world
    evidence.record_evidence(
        world.maya, world.claims, level=3, assessed_on=datetime.date(2026, 10, 1),
        recorded_by=world.dana, learning_experience=world.lab_report,
        section=world.algebra_section,
    )  # fmt: skip
    client.force_login(world.dana)

    responses = [client.get(url) for url in _chart_urls(world)]

    assert [response.status_code for response in responses] == [200] * 4
    assert {response["Content-Type"] for response in responses} == {"image/svg+xml"}
    assert {response["Cache-Control"] for response in responses} == {"private, no-store"}
    (policy,) = {response["Content-Security-Policy"] for response in responses}
    assert "default-src 'none'" in policy
    assert "style-src 'unsafe-inline'" in policy

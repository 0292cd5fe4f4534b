import datetime
from pathlib import Path

import pytest
import time_machine
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from mastery.evidence import api as evidence
from mastery.grading import api as grading
from tests.world import World, publish_riverside_policy


@pytest.fixture(autouse=True)
def signing_key_file(settings, tmp_path: Path) -> Path:
    """A throwaway signing key for each test, made on first use (test mode) in tmp_path."""
    path = tmp_path / "credential-signing-key.pem"
    settings.CREDENTIAL_SIGNING_KEY_FILE = path
    return path


@pytest.fixture
def other_key_file(tmp_path: Path) -> Path:
    """Another school's key: a credential it signed is not ours."""
    path = tmp_path / "other-key.pem"
    path.write_bytes(
        Ed25519PrivateKey.generate().private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return path


@pytest.fixture
def today():
    """These tests run on 2 November 2026 (mid-term)."""
    with time_machine.travel(
        datetime.datetime(2026, 11, 2, 15, 0, tzinfo=datetime.UTC), tick=False
    ):
        yield datetime.date(2026, 11, 2)


@pytest.fixture
def graded_world(world: World, today: datetime.date) -> World:
    """The world with GRADING.md's default policy published from the start of the year."""
    publish_riverside_policy(world)
    return world


@pytest.fixture
def scored_world(graded_world: World) -> World:
    """Maya shows Exceeding on both writing subskills three times in two contexts (mastered,
    Algebra computes A, and Dana finalizes it); Sam has one Developing at-bat (insufficient
    evidence), and his Algebra grade is not finalized."""
    world = graded_world
    for day, experience, subskill in [
        (1, world.lab_report, world.claims),
        (2, world.lab_report, world.claims),
        (3, world.essay, world.claims),
        (1, world.lab_report, world.evidence_use),
        (2, world.lab_report, world.evidence_use),
        (3, world.lab_report, world.evidence_use),
    ]:
        evidence.record_evidence(
            world.maya,
            subskill,
            level=4,
            assessed_on=datetime.date(2026, 10, day),
            recorded_by=world.dana,
            learning_experience=experience,
            section=world.algebra_section,
        )
    evidence.record_evidence(
        world.sam,
        world.claims,
        level=2,
        assessed_on=datetime.date(2026, 10, 1),
        recorded_by=world.dana,
        learning_experience=world.lab_report,
        section=world.algebra_section,
    )
    maya_in_algebra = world.algebra_section.enrollments.get(student=world.maya)
    grading.finalize_term_grade(maya_in_algebra, finalized_by=world.dana)
    return world

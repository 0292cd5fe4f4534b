"""The evidence ledger is append-only: corrections supersede, voids retract, nothing is erased."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction

from mastery.evidence import api as evidence
from mastery.evidence.models import AppendOnlyError, EntryKind, Evidence
from tests.world import World

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 10, 15)


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(
        datetime.datetime(2026, 10, 15, 15, 0, tzinfo=datetime.UTC), tick=False
    ):
        yield


def _score(world: World, level: int | str = 3, **options) -> Evidence:
    defaults = {
        "assessed_on": datetime.date(2026, 10, 1),
        "recorded_by": world.dana,
        "learning_experience": world.lab_report,
        "section": world.algebra_section,
    }
    return evidence.record_evidence(
        world.maya, world.claims, level=level, **{**defaults, **options}
    )


def test_recording_an_at_bat_keeps_who_when_and_the_context(world: World) -> None:
    entry = _score(world, comment="Clear claim, cites the data table.")

    assert entry.level == Decimal("3")
    assert entry.recorded_by == world.dana
    assert entry.recorded_at.date() == TODAY
    assert entry.learning_experience == world.lab_report
    assert entry.kind == EntryKind.RECORD


def test_scoring_the_same_work_again_is_a_second_at_bat(world: World) -> None:
    _score(world, level=2)
    _score(world, level=3)

    assert evidence.list_evidence(world.maya, target=world.claims).count() == 2


def test_an_at_bat_cannot_be_edited_through_the_model(world: World) -> None:
    entry = _score(world)
    entry.level = Decimal("4")

    with pytest.raises(AppendOnlyError, match="append-only"):
        entry.save()


def test_an_at_bat_cannot_be_deleted_through_the_model(world: World) -> None:
    entry = _score(world)

    with pytest.raises(AppendOnlyError, match="void"):
        entry.delete()


def test_the_database_refuses_an_update_that_skips_the_model(world: World) -> None:
    entry = _score(world)

    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        Evidence.objects.filter(pk=entry.pk).update(level=Decimal("4"))
    assert Evidence.objects.get(pk=entry.pk).level == Decimal("3")


def test_the_database_refuses_a_delete_that_skips_the_model(world: World) -> None:
    entry = _score(world)

    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        Evidence.objects.filter(pk=entry.pk).delete()
    assert Evidence.objects.filter(pk=entry.pk).exists()


def test_a_correction_supersedes_the_entry_and_both_stay(world: World) -> None:
    original = _score(world, level=2)

    correction = evidence.correct_evidence(
        original, level=3, reason="Scored against the wrong rubric row.", recorded_by=world.cole
    )

    assert correction.kind == EntryKind.CORRECTION
    assert correction.supersedes == original
    assert correction.level == Decimal("3")
    assert correction.recorded_by == world.cole
    assert correction.learning_experience == original.learning_experience
    assert list(evidence.list_evidence(world.maya, target=world.claims)) == [original, correction]


def test_a_correction_of_a_correction_chains(world: World) -> None:
    original = _score(world, level=2)
    first = evidence.correct_evidence(original, level=3, reason="Regraded", recorded_by=world.dana)

    second = evidence.correct_evidence(first, level=4, reason="Moderated", recorded_by=world.dana)

    assert second.supersedes == first


def test_an_entry_is_corrected_only_once_then_the_newest_is_corrected(world: World) -> None:
    original = _score(world, level=2)
    evidence.correct_evidence(original, level=3, reason="Regraded", recorded_by=world.dana)

    with pytest.raises(ValidationError, match="already corrected or voided"):
        evidence.correct_evidence(original, level=4, reason="Again", recorded_by=world.dana)


def test_a_correction_needs_a_reason(world: World) -> None:
    original = _score(world, level=2)

    with pytest.raises(ValidationError, match="needs a reason"):
        evidence.correct_evidence(original, level=3, reason="  ", recorded_by=world.dana)
    assert evidence.list_evidence(world.maya).count() == 1


def test_voiding_keeps_the_entry_and_records_why(world: World) -> None:
    original = _score(world, level=1)

    void = evidence.void_evidence(
        original, reason="Maya was absent; scored by mistake.", recorded_by=world.dana
    )

    assert void.kind == EntryKind.VOID
    assert void.level is None
    assert void.supersedes == original
    assert Evidence.objects.filter(pk=original.pk).exists()


def test_a_voided_entry_cannot_be_changed_again(world: World) -> None:
    void = evidence.void_evidence(_score(world), reason="Duplicate", recorded_by=world.dana)

    with pytest.raises(ValidationError, match="voided entry cannot be changed"):
        evidence.correct_evidence(void, level=3, reason="Oops", recorded_by=world.dana)


def test_a_correction_can_say_the_work_was_done_with_support(world: World) -> None:
    original = _score(world, level=3)

    correction = evidence.correct_evidence(
        original, level=3, independent=False, reason="Worked with an aide", recorded_by=world.dana
    )

    assert (correction.level, correction.independent) == (3, False)
    assert original.independent is True


def test_a_teacher_cannot_correct_or_void_a_student_s_self_assessment(world: World) -> None:
    own = _score(world, level=4, recorded_by=world.maya.user, source=evidence.Source.SELF)

    with pytest.raises(ValidationError) as refused:
        evidence.correct_evidence(own, level=2, reason="Too generous", recorded_by=world.dana)
    assert refused.value.message_dict["supersedes"] == [
        "This is a self-assessment: only the person who gave it can change it. "
        "Record your own score instead."
    ]
    with pytest.raises(ValidationError, match="self-assessment: only the person who gave it"):
        evidence.void_evidence(own, reason="Not mine to keep", recorded_by=world.dana)
    assert list(Evidence.objects.all()) == [own]


def test_a_teacher_cannot_correct_or_void_a_peer_s_assessment(world: World) -> None:
    peer = _score(world, level=1, recorded_by=world.sam.user, source=evidence.Source.PEER)

    with pytest.raises(ValidationError, match="a peer's assessment: only the person"):
        evidence.correct_evidence(peer, level=3, reason="Harsh", recorded_by=world.dana)
    with pytest.raises(ValidationError, match="a peer's assessment: only the person"):
        evidence.void_evidence(peer, reason="Harsh", recorded_by=world.cole)
    assert list(Evidence.objects.all()) == [peer]


def test_a_student_revises_their_own_self_assessment(world: World) -> None:
    own = _score(world, level=4, recorded_by=world.maya.user, source=evidence.Source.SELF)

    revised = evidence.correct_evidence(
        own, level=3, reason="Reread the rubric", recorded_by=world.maya.user
    )

    assert (revised.supersedes, revised.level, revised.source) == (own, 3, evidence.Source.SELF)


def test_a_level_off_the_scale_is_refused_with_the_range(world: World) -> None:
    with pytest.raises(ValidationError) as refused:
        _score(world, level=7)

    assert refused.value.message_dict["level"] == [
        "7 is not on the Four levels scale: levels run from 1 (Beginning) to 4 (Exceeding)."
    ]
    assert not evidence.list_evidence(world.maya).exists()


def test_a_level_that_is_not_a_number_is_refused(world: World) -> None:
    with pytest.raises(ValidationError, match="not a number"):
        _score(world, level="three")


def test_a_correction_off_the_scale_is_refused(world: World) -> None:
    original = _score(world, level=2)

    with pytest.raises(ValidationError, match="not on the Four levels scale"):
        evidence.correct_evidence(original, level=0, reason="Typo", recorded_by=world.dana)


def test_work_dated_in_the_future_is_refused(world: World) -> None:
    with pytest.raises(ValidationError, match="in the future"):
        _score(world, assessed_on=datetime.date(2027, 3, 1))


def test_evidence_for_a_student_not_in_the_section_is_refused(world: World) -> None:
    with pytest.raises(ValidationError, match="not enrolled in ALG-1"):
        evidence.record_evidence(
            world.leo,
            world.claims,
            level=3,
            assessed_on=datetime.date(2026, 10, 1),
            recorded_by=world.dana,
            section=world.algebra_section,
        )


def test_evidence_on_a_subskill_the_experience_is_not_aligned_to_is_refused(world: World) -> None:
    with pytest.raises(ValidationError, match=r"AW\.2 is not one of the subskills"):
        evidence.record_evidence(
            world.maya,
            world.evidence_use,
            level=3,
            assessed_on=datetime.date(2026, 10, 1),
            recorded_by=world.dana,
            learning_experience=world.essay,
        )


def test_evidence_names_one_target_only(world: World) -> None:
    entry = Evidence(
        student=world.maya,
        subskill=world.claims,
        competency=world.writing,
        level=Decimal("3"),
        assessed_on=TODAY,
        recorded_at=datetime.datetime(2026, 10, 15, tzinfo=datetime.UTC),
        recorded_by=world.dana,
    )

    with pytest.raises(ValidationError, match="subskill or a competency, not both"):
        entry.full_clean()


def test_evidence_can_be_about_a_competency_as_a_whole(world: World) -> None:
    entry = evidence.record_evidence(
        world.maya, world.writing, level=4, assessed_on=TODAY, recorded_by=world.dana
    )

    assert entry.target == world.writing
    assert list(evidence.list_evidence(world.maya, target=world.writing)) == [entry]

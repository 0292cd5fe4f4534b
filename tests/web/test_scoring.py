"""Scoring a learning experience from the grid: each cell saves as it is typed."""

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mastery.curriculum import api as curriculum
from mastery.evidence import api as evidence
from mastery.evidence.models import EntryKind, Evidence
from tests.web.test_query_counts import _grow_section
from tests.world import World

pytestmark = pytest.mark.django_db


def _grid(world: World, experience=None) -> str:
    return reverse(
        "score-grid", args=[world.algebra_section.uuid, (experience or world.lab_report).uuid]
    )


def _save(
    client: Client, world: World, *, student=None, subskill=None, level="3", **extra
) -> object:
    data = {
        "student": str((student or world.maya).uuid),
        "subskill": str((subskill or world.claims).uuid),
        "level": level,
        "assessed_on": "2026-10-20",
        **extra,
    }
    return client.post(
        reverse("score-save", args=[world.algebra_section.uuid, world.lab_report.uuid]),
        data,
        headers={"HX-Request": "true"},
    )


def test_the_grid_lists_students_and_the_aligned_subskills_with_the_rubric(
    client: Client, graded_world: World
) -> None:
    client.force_login(graded_world.dana)

    page = client.get(_grid(graded_world)).content.decode()

    assert "Okafor, Maya" in page
    assert "Okafor, Sam" in page
    assert "AW.1" in page
    assert "AW.2" in page
    assert "Shows the skill independently." in page or "Rubric" in page


def test_typing_a_level_records_an_at_bat_and_shows_the_new_rating(
    client: Client, graded_world: World
) -> None:
    client.force_login(graded_world.dana)

    response = _save(client, graded_world, level="3", comment="Clear claim")

    assert response.status_code == 200
    entry = Evidence.objects.get()
    assert entry.level == 3
    assert entry.assessed_on == datetime.date(2026, 10, 20)
    assert entry.learning_experience == graded_world.lab_report
    assert entry.comment == "Clear claim"
    assert "Not yet rated · 1 counted" in response.content.decode()


def test_with_support_marks_the_at_bat_as_not_independent(
    client: Client, graded_world: World
) -> None:
    client.force_login(graded_world.dana)

    _save(client, graded_world, with_support="on")

    assert Evidence.objects.get().independent is False


def test_typing_over_a_score_on_the_same_day_corrects_it(
    client: Client, graded_world: World
) -> None:
    client.force_login(graded_world.dana)
    _save(client, graded_world, level="2")

    _save(client, graded_world, level="3")

    kinds = list(Evidence.objects.order_by("id").values_list("kind", "level"))
    assert kinds == [(EntryKind.RECORD, 2), (EntryKind.CORRECTION, 3)]


def test_scoring_again_on_another_day_is_a_reassessment(
    client: Client, graded_world: World
) -> None:
    client.force_login(graded_world.dana)
    _save(client, graded_world, level="2")

    _save(client, graded_world, level="3", assessed_on="2026-10-27")

    assert list(Evidence.objects.values_list("kind", flat=True)) == [EntryKind.RECORD] * 2


def test_an_empty_cell_records_nothing(client: Client, graded_world: World) -> None:
    client.force_login(graded_world.dana)

    response = _save(client, graded_world, level="")

    assert response.status_code == 200
    assert not Evidence.objects.exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("level", "7", "not on the Four levels scale"),
        ("level", "three", "not a number"),
        ("assessed_on", "2027-09-01", "in the future"),
        ("assessed_on", "yesterday", "not a date"),
    ],
)
def test_bad_input_is_refused_in_the_cell_and_nothing_is_stored(
    client: Client, graded_world: World, field: str, value: str, message: str
) -> None:
    client.force_login(graded_world.dana)

    response = _save(client, graded_world, **{field: value})

    assert response.status_code == 422
    assert message in response.content.decode()
    assert not Evidence.objects.exists()


def test_a_student_not_in_the_section_is_refused(client: Client, graded_world: World) -> None:
    client.force_login(graded_world.dana)

    response = _save(client, graded_world, student=graded_world.leo)

    assert response.status_code == 422
    assert "not in this section" in response.content.decode()
    assert not Evidence.objects.exists()


def test_a_subskill_the_experience_is_not_aligned_to_is_refused(
    client: Client, graded_world: World
) -> None:
    world = graded_world
    client.force_login(world.dana)

    response = client.post(
        reverse("score-save", args=[world.algebra_section.uuid, world.essay.uuid]),
        {"student": world.maya.uuid, "subskill": world.evidence_use.uuid, "level": "3"},
    )

    assert response.status_code == 422
    assert "not one this learning experience is aligned to" in response.content.decode()
    assert not Evidence.objects.exists()


def _row(client: Client, world: World, **data: str) -> object:
    return client.post(
        reverse("score-row", args=[world.algebra_section.uuid, world.lab_report.uuid]),
        {"student": str(world.maya.uuid), "assessed_on": "2026-10-20", **data},
        headers={"HX-Request": "true"},
    )


def test_a_comment_added_after_scoring_is_kept_by_a_correction(
    client: Client, graded_world: World
) -> None:
    world = graded_world
    client.force_login(world.dana)
    _save(client, world, level="3")

    response = _row(client, world, comment="Great use of data")

    assert "Comment and support saved on 1 score." in response.content.decode()
    newest = Evidence.objects.order_by("-id").first()
    assert newest is not None
    assert newest.kind == EntryKind.CORRECTION
    assert (newest.level, newest.comment, newest.independent) == (3, "Great use of data", True)


def test_ticking_with_support_after_saving_corrects_that_day_s_scores_and_keeps_the_levels(
    client: Client, graded_world: World
) -> None:
    world = graded_world
    client.force_login(world.dana)
    _save(client, world, level="3", comment="Careful work")
    _save(client, world, subskill=world.evidence_use, level="2", comment="Careful work")

    response = _row(client, world, with_support="on", comment="Careful work")

    assert "Comment and support saved on 2 scores." in response.content.decode()
    corrections = Evidence.objects.filter(kind=EntryKind.CORRECTION).order_by("subskill__key")
    assert [(entry.level, entry.independent, entry.comment) for entry in corrections] == [
        (3, False, "Careful work"),
        (2, False, "Careful work"),
    ]
    assert Evidence.objects.filter(kind=EntryKind.RECORD, independent=True).count() == 2


def test_unticking_with_support_corrects_the_scores_back_to_independent(
    client: Client, graded_world: World
) -> None:
    world = graded_world
    client.force_login(world.dana)
    _save(client, world, level="3", with_support="on")

    _row(client, world)

    newest = Evidence.objects.latest("id")
    assert (newest.kind, newest.level, newest.independent) == (EntryKind.CORRECTION, 3, True)


def test_a_row_change_with_nothing_scored_that_day_records_nothing(
    client: Client, graded_world: World
) -> None:
    world = graded_world
    client.force_login(world.dana)
    _save(client, world, level="3", assessed_on="2026-10-19")

    response = _row(client, world, with_support="on")

    assert "No score changed on Oct 20" in response.content.decode()
    assert Evidence.objects.count() == 1


def test_retyping_a_score_with_support_changed_is_a_correction(
    client: Client, graded_world: World
) -> None:
    world = graded_world
    client.force_login(world.dana)
    _save(client, world, level="3")

    _save(client, world, level="3", with_support="on")
    _save(client, world, level="3", with_support="on")

    kinds = list(Evidence.objects.order_by("id").values_list("kind", "level", "independent"))
    assert kinds == [(EntryKind.RECORD, 3, True), (EntryKind.CORRECTION, 3, False)]


def test_clearing_a_saved_cell_keeps_the_score_and_says_how_to_remove_it(
    client: Client, graded_world: World
) -> None:
    world = graded_world
    client.force_login(world.dana)
    _save(client, world, level="3")

    response = _save(client, world, level="")

    page = response.content.decode()
    assert "Clearing doesn't remove a score" in page
    drill_down = reverse(
        "drill-down",
        args=[world.algebra_section.uuid, world.maya.uuid, "subskill", world.claims.uuid],
    )
    assert f'<a href="{drill_down}">void it from the evidence view</a>' in page
    assert Evidence.objects.count() == 1


def test_leaving_an_unscored_cell_empty_says_nothing(client: Client, graded_world: World) -> None:
    client.force_login(graded_world.dana)

    response = _save(client, graded_world, level="")

    assert "Clearing" not in response.content.decode()


# Session and user, section, the aligned subskill, the enrollment; the student's lock, the
# standing score, the scale, the context, the insert; the recomputation (lock, policy versions,
# evidence, contexts, competencies, subskills, enrollments, course competencies, the course's
# other ratings, delete, insert); the cell's new rating; a savepoint under the test's own
# transaction.
SAVE_QUERIES = {"a new at-bat": 22, "a same-day re-entry": 21}


@pytest.mark.parametrize(
    ("path", "again_on", "kind"),
    [
        ("a new at-bat", "2026-10-21", EntryKind.RECORD),
        ("a same-day re-entry", "2026-10-20", EntryKind.CORRECTION),
    ],
)
def test_saving_a_cell_is_a_small_number_of_queries_whatever_the_class_size(
    client: Client, graded_world: World, path: str, again_on: str, kind: EntryKind
) -> None:
    world = graded_world
    _grow_section(world, 3)
    client.force_login(world.dana)

    def cost(student) -> int:
        _save(client, world, student=student, level="2")
        with CaptureQueriesContext(connection) as captured:
            response = _save(client, world, student=student, level="3", assessed_on=again_on)
        assert response.status_code == 200
        newest = Evidence.objects.filter(student=student).latest("id")
        assert (newest.kind, newest.level) == (kind, 3)
        return len(captured)

    small = cost(world.maya)
    _grow_section(world, 30, start=3)

    assert cost(world.sam) == small
    assert small <= SAVE_QUERIES[path]


def test_scores_download_as_csv(client: Client, graded_world: World) -> None:
    world = graded_world
    client.force_login(world.dana)
    _save(client, world, level="3")

    response = client.get(
        reverse("scores-export", args=[world.algebra_section.uuid, world.lab_report.uuid, "csv"])
    )

    lines = response.content.decode().splitlines()
    assert (
        lines[0] == "Student number,Last name,First name,AW.1 level,AW.2 level,AW.1 date,AW.2 date,"
        "With support,Comment"
    )
    assert "R-1001,Okafor,Maya,3,,2026-10-20,,," in lines


def test_evidence_recorded_elsewhere_is_not_in_this_grid(
    client: Client, graded_world: World
) -> None:
    world = graded_world
    evidence.record_evidence(
        world.maya,
        world.claims,
        level=4,
        assessed_on=datetime.date(2026, 10, 1),
        recorded_by=world.dana,
    )
    client.force_login(world.dana)

    response = client.get(_grid(world))

    assert all(cell.latest is None for row in response.context["grid"].rows for cell in row.cells)


def test_the_list_of_experiences_says_when_each_is_due_and_how_many_students_are_scored(
    client: Client, graded_world: World
) -> None:
    world = graded_world
    curriculum.update_learning_experience(world.lab_report, due_on=datetime.date(2026, 10, 23))
    client.force_login(world.dana)
    pick = reverse("score-pick", args=[world.algebra_section.uuid])

    def lab_report_line() -> str:
        page = client.get(pick).content.decode()
        start = page.index("Lab report")
        return page[start : page.index("</li>", start)]

    assert "due Oct 23" in lab_report_line()
    assert "scored for 0 of 2 students" in lab_report_line()

    _save(client, world, student=world.maya, subskill=world.claims)
    _save(client, world, student=world.maya, subskill=world.evidence_use, level="2")
    assert "scored for 1 of 2 students" in lab_report_line()  # students, not scores

    _save(client, world, student=world.sam)
    assert "scored for 2 of 2 students" in lab_report_line()

    sams = Evidence.objects.get(student=world.sam, learning_experience=world.lab_report)
    evidence.void_evidence(sams, reason="Wrong student", recorded_by=world.dana)
    assert "scored for 1 of 2 students" in lab_report_line()  # a voided score is no score

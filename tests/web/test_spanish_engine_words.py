"""In Spanish, what the engine works out is said from its structure (decision 0006): the roll-up
of a competency, the graduation standing, a conference's suggested next steps, a progress report
and its chart. In English the engine's own sentences are shown unchanged."""

import datetime
from decimal import Decimal

import pytest
from django.utils import translation

from mastery.conferences import api as conferences
from mastery.engine.credit import Standing, check_graduation
from mastery.engine.policy import DEFAULT_POLICY
from mastery.engine.rating import rate
from mastery.engine.rollups import rate_competency
from mastery.evidence import api as evidence
from mastery.frameworks.models import Subskill
from mastery.grading import api as grading
from mastery.graduation import api as graduation
from mastery.graduation.models import NamedRequirement
from mastery.reports import api as reports
from mastery.web.templatetags.engine_words import rollup_words, standing_words
from tests.engine.builders import at_bats, policy
from tests.world import World


class Part:
    def __init__(self, rating: str | None, mastered: bool = False) -> None:
        self.rating = Decimal(rating) if rating is not None else None
        self.mastered = mastered


def _spanish_rollup(aggregate: str, parts: dict[str, Part], own: Part | None = None):
    rolled = rate_competency(policy(competency={"aggregate": aggregate}), "SCI", parts, own=own)
    with translation.override("es"):
        spanish = rollup_words(rolled)
    with translation.override("en"):
        english = rollup_words(rolled)
    return rolled, spanish, english


def test_a_competency_average_is_said_in_spanish_step_by_step_with_the_engine_s_numbers() -> None:
    rolled, spanish, english = _spanish_rollup(
        "mean",
        {"SCI.1": Part("3"), "SCI.2": Part("2.5"), "SCI.3": Part(None)},
        own=Part("4", mastered=True),
    )

    assert english == rolled.steps
    assert spanish == (
        "Se dejan fuera por ahora (aún no hay suficiente evidencia): SCI.3.",
        "Calificaciones usadas: SCI.1 3, SCI.2 2.5, SCI (su propia evidencia) 4.",
        "El promedio de 3, 2.5, 4: (3 + 2.5 + 4) / 3 = 3.17.",
        "Resultado: 3.17, es decir, Meeting. Dominada.",
    )
    assert len(spanish) == len(rolled.steps)


@pytest.mark.parametrize(
    ("aggregate", "arithmetic", "result"),
    [
        ("minimum", "La más baja de 2, 3, 4, 4 es 2.", "Resultado: 2, es decir, Developing."),
        ("median", "El valor central de 2, 3, 4, 4 es 3.5.", "Resultado: 3.5, es decir, Meeting."),
    ],
)
def test_the_lowest_and_the_middle_value_are_said_in_spanish(
    aggregate: str, arithmetic: str, result: str
) -> None:
    parts = {name: Part(value) for name, value in zip("abcd", ["2", "3", "4", "4"], strict=True)}
    rolled, spanish, _english = _spanish_rollup(aggregate, parts)

    assert spanish[1] == arithmetic
    assert spanish[-1].startswith(result)
    assert rolled.rating is not None
    assert str(rolled.rating.normalize()) in spanish[-1]


def test_a_required_part_not_mastered_and_a_competency_without_evidence_in_spanish() -> None:
    chosen = policy(competency={"required": {"SCI": ["SCI.2"]}})
    required = rate_competency(chosen, "SCI", {"SCI.1": Part("4", True), "SCI.2": Part("2")})
    nothing = rate_competency(DEFAULT_POLICY, "SCI", {"SCI.1": Part(None)})

    with translation.override("es"):
        assert rollup_words(required)[-2:] == (
            "Obligatorias y aún no dominadas: SCI.2.",
            "Resultado: 3, es decir, Meeting. Aún no dominada.",
        )
        assert rollup_words(nothing) == (
            "Se dejan fuera por ahora (aún no hay suficiente evidencia): SCI.1.",
            "Ninguna parte de esta competencia tiene todavía suficiente evidencia para una "
            "calificación.",
        )


@pytest.mark.django_db
def test_the_graduation_standing_is_said_in_spanish_one_sentence_per_engine_step(
    world: World,
) -> None:
    chosen = policy(
        graduation={
            "credits": {"Mathematics": 2, "Science": 1},
            "competencies": [
                {"name": "Writing", "competencies": ["AW"], "minimum": 3, "by_grade": 10}
            ],
            "first_grade": 9,
            "last_grade": 12,
            "at_risk_margin": 1,
        }
    )
    check = check_graduation(
        chosen, grade=10, earned={"Mathematics": Decimal("0.5")}, competencies={}
    )
    service = NamedRequirement(name="Service learning", by_grade=10)
    capstone = NamedRequirement(name="Capstone", by_grade=12)
    standing = graduation.StudentStanding(
        student=world.maya,  # grade 10
        areas=[],
        check=check,
        named=[graduation.NamedProgress(service, None), graduation.NamedProgress(capstone, None)],
        standing=Standing.AT_RISK,
        steps=["the engine's steps, then the school's"],
    )

    with translation.override("en"):
        assert standing_words(standing) == standing.steps
    with translation.override("es"):
        spanish = standing_words(standing)

    assert spanish == [
        "Créditos que cuentan para los requisitos: 0.5 (al empezar 10.º grado se esperan 0.75).",
        "Writing (para el final de 10.º grado) aún no se cumple: AW.",
        "Mathematics: 0.5 de 2 créditos.",
        "Science: 0 de 1 créditos.",
        "Situación: en riesgo.",
        "Service learning (debe completarse para el final de 10.º grado) aún no está completo.",
    ]
    assert len(spanish) == len(check.steps) + 1  # the capstone is not due yet


def _score(world: World, subskill: Subskill, level: int, day: int, experience) -> None:
    evidence.record_evidence(
        world.maya,
        subskill,
        level=level,
        assessed_on=datetime.date(2026, 10, day),
        recorded_by=world.dana,
        learning_experience=experience,
        section=world.algebra_section,
    )


@pytest.mark.django_db
def test_a_conference_s_suggested_next_step_is_the_engine_s_said_in_spanish(
    graded_world: World, today: datetime.date
) -> None:
    world = graded_world
    _score(world, world.claims, 3, 1, world.lab_report)
    _score(world, world.claims, 3, 2, world.essay)
    _score(world, world.claims, 4, 3, world.essay)
    _score(world, world.evidence_use, 2, 4, world.lab_report)
    engine = grading.explain_rating(world.maya, world.evidence_use, on=today)
    assert engine.next_step is not None

    with translation.override("es"):
        suggested = conferences.suggest_preparation(world.maya, on=today)
        spanish_step = grading.next_step_words(engine.next_step, "Meeting")
        # What the conference form is prefilled with, in the reader's language.
        strengths, growth_areas = suggested.strengths_text, suggested.growth_areas_text

    assert suggested.growth_areas[0].next_step == f"AW.2 Supports with evidence: {spanish_step}"
    assert spanish_step in growth_areas
    assert engine.next_step.sentence not in growth_areas
    assert strengths == "Argumentative writing: Meeting, dominada."


@pytest.mark.django_db
def test_a_progress_report_built_for_a_spanish_reader_says_everything_in_spanish(
    graded_world: World, today: datetime.date
) -> None:
    world = graded_world
    for day, experience in [(5, world.lab_report), (12, world.essay), (19, world.lab_report)]:
        _score(world, world.claims, 3, day, experience)
    term = world.algebra_section.term
    explained = grading.explain_competency(world.maya, world.writing, on=today)

    with translation.override("es"):
        report = reports.build_progress_report(world.maya, term, on=today)
        spanish_rollup = grading.rollup_words(explained.rolled)

    line = next(line for line in report.competencies if line.key == "AW")
    assert line.highlight == spanish_rollup
    assert line.highlight[-1].startswith("Resultado: ")
    assert all(step not in line.highlight for step in explained.rolled.steps)
    assert line.next_steps
    assert all(" at-bat" not in step for step in line.next_steps)
    assert "intento" in line.next_steps[0]
    assert report.policy_name == "Riverside grading, versión 1"
    assert "a lo largo del tiempo" in report.chart_svg


@pytest.mark.django_db
def test_a_chart_without_evidence_says_so_in_spanish(graded_world: World, today: datetime.date):
    world = graded_world

    with translation.override("es"):
        spanish = reports.competency_progress_chart(world.sam, world.writing)
    english = reports.competency_progress_chart(world.sam, world.writing)

    assert "Aún no hay evidencia" in spanish
    assert "Sam Okafor: Argumentative writing a lo largo del tiempo" in spanish
    assert "No evidence yet" not in spanish
    assert "No evidence yet" in english


@pytest.mark.django_db
def test_the_kind_of_a_learning_experience_is_named_in_the_reader_s_language(world: World):
    with translation.override("es"):
        spanish = world.essay.get_kind_display()

    assert spanish == "Ensayo"
    assert world.essay.get_kind_display() == "Essay"


# --- A rating's arithmetic and result -----------------------------------------------------------

METHODS = [
    {"name": "latest"},
    {"name": "highest"},
    {"name": "average"},
    {"name": "average_recent", "count": 3},
    {"name": "weighted_latest", "weight": "0.65"},
    {"name": "decaying_average", "rate": "0.65"},
    {"name": "n_mastery", "count": 3},
    {"name": "mode_recent", "count": 5},
    {"name": "power_law"},
    {"name": "consistent", "at_bats": 3, "window": 5, "contexts": 2},
]
EVIDENCE = [
    (),
    ("3",),
    ("2", "3", "3", "4"),
    ("2", "3", "4", "3", "4", "3"),
    ("1", "2", "2", "3"),
    ("4", "4", "1"),
    ("2", "2", "2"),
]


@pytest.mark.parametrize("method", METHODS, ids=[method["name"] for method in METHODS])
@pytest.mark.parametrize("levels", EVIDENCE, ids=["-".join(levels) for levels in EVIDENCE])
@pytest.mark.parametrize("contexts", [("Lab",), ("Lab", "Essay"), ("",)])
def test_said_from_the_arithmetic_s_structure_a_rating_reads_exactly_as_the_engine_says_it(
    method: dict, levels: tuple[str, ...], contexts: tuple[str, ...]
) -> None:
    """In a language without a catalogue every sentence falls back to its English source, so
    what the structure says must be the engine's own text, word for word: the Spanish is the
    same sentences, translated."""
    rated = rate(policy(method), at_bats(*levels, contexts=contexts))

    with translation.override("fr"):
        assert grading.arithmetic_words(rated) == rated.explanation.steps
        assert grading.result_words(rated) == rated.explanation.result


def test_the_worked_example_of_the_default_method_is_said_in_spanish() -> None:
    rated = rate(
        DEFAULT_POLICY, at_bats("2", "2", "3", "3", "3", contexts=("Lab", "Essay", "Talk"))
    )

    with translation.override("es"):
        steps = grading.arithmetic_words(rated)
        result = grading.result_words(rated)

    assert steps == (
        "Tus 5 intentos más recientes que cuentan: 2 (Lab), 2 (Essay), 3 (Talk), 3 (Lab), "
        "3 (Essay).",
        "Exceeding (4): 0 en ese nivel o más; se necesitan 3.",
        "Meeting (3): 3 en ese nivel o más, de 3 contextos (Essay, Lab, Talk). "
        "Demostrado de forma constante.",
    )
    assert result == "3, es decir, Meeting. Dominada."


def test_an_average_a_decay_and_too_little_evidence_are_said_in_spanish() -> None:
    average = rate(policy({"name": "weighted_latest", "weight": "0.65"}), at_bats("2", "3", "3"))
    decaying = rate(policy({"name": "decaying_average", "rate": "0.5"}), at_bats("2", "3"))
    none_yet = rate(DEFAULT_POLICY, [])

    with translation.override("es"):
        assert grading.arithmetic_words(average) == (
            "Promedio de los intentos anteriores al más reciente: (2 + 3) / 2 = 2.5.",
            "3 x 0.65 + 2.5 x 0.35 = 2.825.",
        )
        assert (
            grading.result_words(average) == "2.83, es decir, Developing. Aún no llega a Meeting."
        )
        assert grading.arithmetic_words(decaying) == (
            "Empieza con tu primer intento: 2.",
            "2 x 0.5 + 3 x 0.5 = 2.5.",
        )
        assert (
            grading.result_words(decaying) == "2.5, es decir, Developing. Aún no llega a Meeting."
        )
        assert grading.arithmetic_words(none_yet) == ("Todavía no hay intentos que cuenten.",)
        assert grading.result_words(none_yet) == (
            "Aún no hay suficiente evidencia para una calificación. Esto no es un cero."
        )

"""Every student and family page read in Spanish: the page's own words, the engine's explanations
and the reports are Spanish, and none of the English they replace shows through."""

import datetime
import re
from html import unescape

import pytest
from django.test import Client
from django.urls import reverse

from mastery.accounts import api as accounts
from mastery.conferences import api as conferences
from mastery.evidence import api as evidence
from mastery.grading import api as grading
from mastery.reviews import api as reviews
from mastery.reviews.models import Outcome
from tests.world import World

pytestmark = pytest.mark.django_db

# The page's own English that Spanish replaces: the header, the words around the engine's
# explanations, the engine's own sentences, reports and charts.
ENGLISH = [
    "Sign out",
    "Not enough evidence yet",
    "Next step",
    "more at-bat",
    "Ratings used",
    "The average of",
    "One part is rated",
    "which is Meeting",
    "Credits counted toward",
    "Standing:",
    "No evidence yet",
    "Download PDF",
    "Progress report",
    "Mastery transcript",
    "Your account",
    "How grading works",
    "Where I stand",
    "Review requests",
    "Conferences and goals",
    "Competencies",
    "Your rating is",
    "at-bats",
    "Shown consistently",
]


@pytest.fixture
def spanish_world(world: World, today: datetime.date) -> World:
    """Riverside's policy with graduation requirements; Maya has mastered AW.1 and has one
    Developing at-bat in AW.2, a conference in preparation and an answered review request. Maya
    and her mother Rosa read in Spanish."""
    draft = grading.create_policy(
        world.riverside, "riverside", name="Riverside", scale=world.scale, created_by=world.lena
    )
    document = dict(draft.document)
    document["graduation"] = {
        "credits": {"Mathematics": 2, "Science": 1},
        "competencies": [{"name": "Writing", "competencies": ["AW"], "minimum": 3, "by_grade": 12}],
        "first_grade": 9,
        "last_grade": 12,
        "at_risk_margin": 1,
    }
    grading.update_draft(draft, document=document)
    grading.publish_version(draft, effective_on=datetime.date(2026, 8, 1), published_by=world.lena)
    for day, level, subskill, experience in [
        (1, 3, world.claims, world.lab_report),
        (2, 3, world.claims, world.essay),
        (3, 4, world.claims, world.essay),
        (4, 2, world.evidence_use, world.lab_report),
    ]:
        evidence.record_evidence(
            world.maya, subskill, level=level, assessed_on=datetime.date(2026, 10, day),
            recorded_by=world.dana, learning_experience=experience,
            section=world.algebra_section, comment="Clear claim." if day == 2 else "",
        )  # fmt: skip
    conferences.start_conference(world.maya, started_by=world.maya.user)
    review = reviews.file_review_request(
        world.maya,
        requested_by=world.rosa,
        section=world.algebra_section,
        competency=world.writing,
        reason="Maya rewrote the essay.",
    )
    reviews.answer_review_request(
        review, answered_by=world.dana, answer="The rating stands.", outcome=Outcome.UNCHANGED
    )
    for person in (world.maya.user, world.rosa):
        accounts.set_preferred_language(person, "es")
    return world


def _url(world: World, page: str) -> str:
    maya = world.maya.uuid
    if page == "conference":
        conference = conferences.list_conferences_visible_to(world.maya.user, world.maya).get()
        return reverse("conference-detail", args=[maya, conference.uuid])
    return {
        "home": lambda: reverse("home"),
        "dashboard": lambda: reverse("student-detail", args=[maya]),
        "competency": lambda: reverse("student-competency", args=[maya, world.writing.uuid]),
        "self-assessment": lambda: reverse("self-assessment", args=[maya, world.essay.uuid]),
        "calibration": lambda: reverse("student-calibration", args=[maya]),
        "conferences": lambda: reverse("conference-list", args=[maya]),
        "review requests": lambda: reverse("review-requests-for-student", args=[maya]),
        "reports": lambda: reverse("student-reports", args=[maya]),
        "progress report": lambda: reverse(
            "progress-report", args=[maya, world.algebra_section.term.uuid]
        ),
        "mastery transcript": lambda: reverse("mastery-transcript", args=[maya]),
        "signed transcript": lambda: reverse("transcript", args=[maya]),
        "how grading works": lambda: reverse("how-grading-works"),
        "account": lambda: reverse("account"),
    }[page]()


# A few of each page's own Spanish words, and of the engine's explanations said in Spanish.
SPANISH = {
    "home": ["Hola, ", "Cómo v"],
    "dashboard": [
        "Competencias",
        "Siguiente paso: AW.2 Supports with evidence — 3 intentos más en el nivel Meeting",
        "Por qué: Se dejan fuera por ahora (aún no hay suficiente evidencia): AW.2.",
        "Situación: en riesgo.",
    ],
    "competency": [
        "Cómo se calcula",
        "Calificaciones usadas: AW.1 3.",
        "Resultado: 3, es decir, Meeting. Dominada.",
        "Cómo funciona esta calificación: Tu calificación es el nivel más alto",
    ],
    "self-assessment": ["Evalúa tu trabajo: Modeling essay", "Guardar mi autoevaluación"],
    "calibration": ["Autoevaluación y calibración"],
    "conferences": ["Conferencias y metas", "En preparación", "2 Nov 2026"],
    "conference": ["Conferencia", "En preparación"],
    "review requests": ["Solicitudes de revisión", "Sin cambios: la calificación se mantiene"],
    "reports": ["Informes de Maya Okafor", "Informes de progreso", "descargar PDF"],
    "progress report": [
        "Informe de progreso: Maya Okafor",
        "Preparado el 2 de noviembre de 2026",
        "Las calificaciones siguen Riverside, versión 1.",
        "B (En progreso)",
        "Resultado: 3, es decir, Meeting. Dominada.",
        "Siguientes pasos AW.2 Supports with evidence: 3 intentos más",
        "Calificaciones de las competencias de Maya Okafor a lo largo del tiempo",
    ],
    "mastery transcript": [
        "Historial académico por competencias",
        "Créditos por área",
        "Emitido el 2 de noviembre de 2026",
        "Meeting (3) · Dominada",
    ],
    "signed transcript": ["Todavía no se ha finalizado ningún historial académico."],
    "how grading works": [
        "Cómo funciona la calificación en Riverside High School",
        "Los niveles",
        "Tu calificación es el nivel más alto que demostraste",
        "Tus 5 intentos más recientes que cuentan: 2 (Informe de laboratorio)",
        "Demostrado de forma constante.",
        "Resultado: 3, es decir, Meeting. Dominada.",
        "Requisitos de graduación",
        "vigente desde el 1 de agosto de 2026",
    ],
    "account": ["Tu cuenta", "Correo electrónico", "Español"],
}
PAGES = [page for page in SPANISH if page != "self-assessment"]


def _text(html: str) -> str:
    """What a reader sees (and a screen reader hears: alt, aria-label and title text too)."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    labels = " ".join(re.findall(r'(?:alt|aria-label|title)="([^"]*)"', html))
    text = re.sub(r"<[^>]+>", " ", html) + " " + labels
    return re.sub(r"\s+", " ", unescape(text))


@pytest.mark.parametrize(
    ("reader", "page"),
    [("student", page) for page in [*PAGES, "self-assessment"]]
    + [("guardian", page) for page in PAGES],
)
def test_a_student_or_family_page_reads_in_spanish(
    client: Client, spanish_world: World, reader: str, page: str
) -> None:
    world = spanish_world
    client.force_login(world.maya.user if reader == "student" else world.rosa)

    response = client.get(_url(world, page))

    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="es">' in html
    text = _text(html)
    assert "Cerrar sesión" in text
    for spanish in SPANISH[page]:
        assert spanish in text
    assert [english for english in ENGLISH if english in text] == []

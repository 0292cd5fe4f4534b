"""Student and family pages in Spanish: the person picks the language, every page follows, and
the translations shipped in the repository are complete and compiled."""

import ast
import datetime
import gettext
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from mastery.accounts.models import User
from mastery.evidence import api as evidence
from mastery.grading import api as grading
from mastery.web.templatetags.engine_words import method_words, next_step_words
from tests.world import World

pytestmark = pytest.mark.django_db

CATALOGUE = Path(__file__).resolve().parents[2] / "src/mastery/locale/es/LC_MESSAGES"


def _entries(po: Path) -> dict[str, list[str]]:
    """msgid (or msgid, msgid_plural joined by a NUL; after its msgctxt and an EOT when it has
    one, as in a .mo file) -> msgstr forms, from a .po file."""
    entries: dict[str, list[str]] = {}
    fields: dict[str, str] = {}
    current = ""
    fuzzy = False

    def flush() -> None:
        nonlocal fuzzy
        if fields.get("msgid"):
            key = fields["msgid"]
            if "msgctxt" in fields:
                key = fields["msgctxt"] + "\x04" + key
            if "msgid_plural" in fields:
                key += "\x00" + fields["msgid_plural"]
            forms = [fields[name] for name in sorted(fields) if name.startswith("msgstr")]
            entries[key] = [] if fuzzy else forms
        fields.clear()
        fuzzy = False

    for line in po.read_text(encoding="utf-8").splitlines():
        if line.startswith("#,") and "fuzzy" in line:
            flush()
            fuzzy = True
        elif line.startswith(("msgctxt ", "msgid ")):
            current, _, text = line.partition(" ")
            if "msgid" in fields:
                flush()
            fields[current] = ast.literal_eval(text)
        elif line.startswith(("msgid_plural ", "msgstr")):
            current, _, text = line.partition(" ")
            fields[current] = ast.literal_eval(text)
        elif line.startswith('"'):
            fields[current] += ast.literal_eval(line)
        elif not line.strip():
            flush()
    flush()
    return entries


def _compiled(catalogue: gettext.GNUTranslations, key: str) -> str:
    """The compiled translation of an entry (its first form when it has plurals)."""
    context, _, message = key.rpartition("\x04")
    if "\x00" in message:
        singular, plural = message.split("\x00")
        if context:
            return catalogue.npgettext(context, singular, plural, 1)
        return catalogue.ngettext(singular, plural, 1)
    return catalogue.pgettext(context, message) if context else catalogue.gettext(message)


def test_every_string_has_a_spanish_translation_and_the_compiled_catalogue_is_current() -> None:
    entries = _entries(CATALOGUE / "django.po")
    with (CATALOGUE / "django.mo").open("rb") as compiled:
        catalogue = gettext.GNUTranslations(compiled)

    missing = [key for key, forms in entries.items() if not forms or not all(forms)]
    stale = [
        key for key, forms in entries.items() if forms and _compiled(catalogue, key) != forms[0]
    ]

    assert len(entries) > 300
    assert missing == [], f"untranslated or fuzzy: {missing[:5]}"
    assert stale == [], f"django.mo is older than django.po (compilemessages): {stale[:5]}"


def test_the_language_switch_keeps_the_choice_on_the_account(client: Client, world: World) -> None:
    client.force_login(world.maya.user)

    response = client.post(reverse("choose-language"), {"language": "es", "next": reverse("home")})

    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert User.objects.get(pk=world.maya.user.pk).preferred_language == "es"
    page = client.get(reverse("home")).content.decode()
    assert '<html lang="es">' in page
    assert "Cerrar sesión" in page


def test_the_language_switch_refuses_an_unknown_language_and_a_foreign_return_address(
    client: Client, world: World
) -> None:
    client.force_login(world.maya.user)

    unknown = client.post(reverse("choose-language"), {"language": "xx"})
    foreign = client.post(
        reverse("choose-language"), {"language": "es", "next": "https://elsewhere.example/"}
    )

    assert unknown.status_code == 400
    assert foreign["Location"] == "/"


def test_before_signing_in_the_choice_is_kept_in_a_cookie(client: Client, world: World) -> None:
    client.post(reverse("choose-language"), {"language": "es", "next": reverse("login")})

    page = client.get(reverse("login")).content.decode()

    assert '<html lang="es">' in page


def test_a_spanish_speaking_family_reads_the_dashboard_in_spanish(
    client: Client, graded_world: World, today: datetime.date
) -> None:
    world = graded_world
    evidence.record_evidence(
        world.maya,
        world.claims,
        level=2,
        assessed_on=datetime.date(2026, 10, 1),
        recorded_by=world.dana,
        learning_experience=world.lab_report,
        section=world.algebra_section,
    )
    world.rosa.preferred_language = "es"
    world.rosa.save()
    client.force_login(world.rosa)

    dashboard = client.get(reverse("student-detail", args=[world.maya.uuid])).content.decode()
    competency = client.get(
        reverse("student-competency", args=[world.maya.uuid, world.writing.uuid])
    ).content.decode()

    assert '<html lang="es">' in dashboard
    assert "Competencias" in dashboard
    assert "Siguiente paso" in dashboard
    rating = grading.explain_rating(world.maya, world.claims, on=today)
    with translation.override("es"):
        spanish_step = next_step_words(rating.next_step, "Meeting")
        spanish_method = method_words(rating)
    assert spanish_step in competency
    assert spanish_method in competency
    assert rating.next_step is not None
    assert rating.next_step.sentence not in competency


def test_in_spanish_the_next_step_says_what_the_engine_worked_out(
    graded_world: World, today: datetime.date
) -> None:
    world = graded_world
    for day, experience in ((1, world.lab_report), (2, world.lab_report)):
        evidence.record_evidence(
            world.maya,
            world.claims,
            level=3,
            assessed_on=datetime.date(2026, 10, day),
            recorded_by=world.dana,
            learning_experience=experience,
            section=world.algebra_section,
        )
    rating = grading.explain_rating(world.maya, world.claims, on=today)
    step = rating.next_step
    assert step is not None

    with translation.override("es"):
        spanish = next_step_words(step, "Meeting")
    with translation.override("en"):
        english = next_step_words(step, "Meeting")

    assert english == step.sentence
    assert str(step.at_bats) in spanish
    assert "Meeting" in spanish
    assert spanish != english

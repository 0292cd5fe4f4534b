"""`mastery demo`: refuses outside demo and test mode, loads once, rebuilds with --reset."""

from collections.abc import Iterator
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings

from mastery.evidence.api import lift_ledger_guard
from mastery.lib.env import Mode
from mastery.schools.models import Student
from tests.demo.fingerprint import SMALL, fingerprint


@pytest.mark.django_db
def test_the_command_refuses_to_run_in_production_mode() -> None:
    with override_settings(MODE=Mode.PRODUCTION), pytest.raises(CommandError, match="demo"):
        call_command("demo", stdout=StringIO())

    assert not Student.objects.exists()


@pytest.fixture
def emptied_afterwards(transactional_db: None) -> Iterator[None]:
    """For a test that commits: empty the database after it, ledger included."""
    yield
    with lift_ledger_guard():
        call_command("flush", interactive=False, verbosity=0)


# `--reset` empties the database with TRUNCATE on PostgreSQL, which a test's transaction would
# not allow: this test commits, like the real command.
@pytest.mark.usefixtures("emptied_afterwards")
def test_the_command_loads_the_school_once_and_rebuilds_it_with_reset() -> None:
    first, second = StringIO(), StringIO()

    call_command("demo", "--students", str(SMALL), "--seed", "7", stdout=first)
    seeded_seven = fingerprint()
    call_command("demo", "--students", str(SMALL), stdout=second)
    unchanged = fingerprint()
    call_command("demo", "--reset", "--students", str(SMALL), stdout=StringIO())

    assert "Dana Whitfield" in first.getvalue()
    assert "password is 'demo'" in first.getvalue()
    assert "already loaded; nothing changed" in second.getvalue()
    assert unchanged == seeded_seven
    assert Student.objects.count() == SMALL
    assert fingerprint() != seeded_seven

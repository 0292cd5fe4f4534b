"""Database triggers that make the evidence table append-only.

The api never updates or deletes evidence, but the rule must also hold for a stray
`QuerySet.update()`, a shell session or another program on the same database. Both SQLite and
PostgreSQL refuse UPDATE and DELETE on the ledger with a message saying what to do instead.
PostgreSQL's TRUNCATE is left alone: it is how the test suite and `mastery demo --reset` empty
a database, never how an application changes a record.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

TABLE = "evidence_evidence"
UPDATE_MESSAGE = "evidence is append-only: record a correction instead of updating an entry"
DELETE_MESSAGE = "evidence is append-only: void an entry instead of deleting it"

SQLITE_INSTALL = [
    f"""CREATE TRIGGER evidence_no_update BEFORE UPDATE ON {TABLE}
        BEGIN SELECT RAISE(ABORT, '{UPDATE_MESSAGE}'); END""",
    f"""CREATE TRIGGER evidence_no_delete BEFORE DELETE ON {TABLE}
        BEGIN SELECT RAISE(ABORT, '{DELETE_MESSAGE}'); END""",
]
SQLITE_REMOVE = [
    "DROP TRIGGER IF EXISTS evidence_no_update",
    "DROP TRIGGER IF EXISTS evidence_no_delete",
]

POSTGRESQL_INSTALL = [
    f"""CREATE OR REPLACE FUNCTION evidence_append_only() RETURNS trigger AS $$
        BEGIN
            IF TG_OP = 'UPDATE' THEN
                RAISE EXCEPTION '{UPDATE_MESSAGE}' USING ERRCODE = 'integrity_constraint_violation';
            END IF;
            RAISE EXCEPTION '{DELETE_MESSAGE}' USING ERRCODE = 'integrity_constraint_violation';
        END
        $$ LANGUAGE plpgsql""",
    f"""CREATE TRIGGER evidence_append_only BEFORE UPDATE OR DELETE ON {TABLE}
        FOR EACH ROW EXECUTE FUNCTION evidence_append_only()""",
]
POSTGRESQL_REMOVE = [
    f"DROP TRIGGER IF EXISTS evidence_append_only ON {TABLE}",
    "DROP FUNCTION IF EXISTS evidence_append_only()",
]


def _statements(vendor: str, *, install: bool) -> list[str]:
    if vendor == "sqlite":
        return SQLITE_INSTALL if install else SQLITE_REMOVE
    if vendor == "postgresql":
        return POSTGRESQL_INSTALL if install else POSTGRESQL_REMOVE
    raise NotImplementedError(f"No append-only guard is written for the {vendor} database")


def install(schema_editor: BaseDatabaseSchemaEditor) -> None:
    for statement in _statements(schema_editor.connection.vendor, install=True):
        schema_editor.execute(statement)


def remove(schema_editor: BaseDatabaseSchemaEditor) -> None:
    for statement in _statements(schema_editor.connection.vendor, install=False):
        schema_editor.execute(statement)


@contextmanager
def lifted() -> Iterator[None]:
    """Lift the guard for the length of a block: only for wiping a whole demo database."""
    with connection.cursor() as cursor:
        for statement in _statements(connection.vendor, install=False):
            cursor.execute(statement)
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            for statement in _statements(connection.vendor, install=True):
                cursor.execute(statement)

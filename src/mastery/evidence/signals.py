"""What the ledger tells the rest of Mastery.

`evidence_appended` is sent inside the transaction that appended the entries, so whatever a
receiver derives from them (ratings, grades) commits or rolls back with the evidence itself.
The evidence app knows nothing about its receivers: ratings are derived from evidence, never
the other way round.
"""

from django.dispatch import Signal

evidence_appended = Signal()
"""Sent with `entries`: the list of Evidence rows just appended (records, corrections, voids),
and `student_locked`: True when they are one student's and the sender already holds that
student's row locked for the transaction (a receiver need not lock it again)."""

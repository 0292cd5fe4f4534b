"""What curriculum tells the rest of Mastery.

`due_date_changed` is sent inside the transaction that changed a learning experience's due date:
a policy may order at-bats by it, so ratings derived from the experience's evidence may change
with it. Curriculum knows nothing about its receivers.
"""

from django.dispatch import Signal

due_date_changed = Signal()
"""Sent with `experience`: the LearningExperience whose due date just changed (already saved)."""

"""Finalized mastery transcripts: the signed credential a registrar issued for a student."""

from django.conf import settings
from django.db import models

from mastery.lib.models import PublicModel
from mastery.schools.models import Student


class Transcript(PublicModel):
    """A transcript credential as finalized: never edited; a new one supersedes it.

    `credential` is the readable credential as signed; `signed` the compact VC-JWT of it, the
    form anyone can verify with the installation's public key (`key_id` names that key).
    """

    student = models.ForeignKey(Student, on_delete=models.PROTECT, related_name="transcripts")
    credential = models.JSONField(help_text="The CLR 2.0 credential, as signed")
    signed = models.TextField(help_text="The compact VC-JWT (EdDSA, Ed25519)")
    key_id = models.CharField(max_length=64, help_text="Thumbprint of the signing key")
    issued_at = models.DateTimeField()
    finalized_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["student", "-issued_at", "-id"]
        indexes = [models.Index(fields=["student", "-issued_at"], name="transcript_latest")]

    def __str__(self) -> str:
        return f"Transcript of {self.student} issued {self.issued_at:%Y-%m-%d}"

"""People who sign in. Roles live on school memberships (mastery.schools), not here."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models.functions import Lower

from mastery.lib.models import PublicModel


class Language(models.TextChoices):
    ENGLISH = "en", "English"
    SPANISH = "es", "Español"


class User(PublicModel, AbstractUser):
    """A person with a sign-in: student, family member or staff. Signs in by username or email."""

    email = models.EmailField("email address", blank=True)
    preferred_language = models.CharField(
        max_length=8, choices=Language.choices, default=Language.ENGLISH
    )

    class Meta:
        ordering = ["last_name", "first_name", "username"]
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                condition=~models.Q(email=""),
                name="user_email_unique_case_insensitive",
                violation_error_message="Another account already uses this email address.",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        name = f"{self.first_name} {self.last_name}".strip()
        return name or self.username

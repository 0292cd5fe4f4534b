"""`mastery verify-credential FILE`: the same command as `verify_credential`, under the name the
docs use (Django finds a command by its module's file name, hyphens included)."""

from mastery.credentials.management.commands.verify_credential import Command

__all__ = ["Command"]

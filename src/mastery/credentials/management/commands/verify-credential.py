from mastery.credentials.management.commands.verify_credential import Command

__all__ = ["Command"]

"""The door to accounts: creating people who sign in."""

from django.db import transaction

from mastery.accounts.models import Language, User

__all__ = ["create_user", "get_user_by_username", "set_preferred_language"]


@transaction.atomic
def create_user(
    username: str,
    /,
    *,
    first_name: str,
    last_name: str,
    email: str = "",
    password: str | None = None,
    preferred_language: str = Language.ENGLISH,
    is_staff: bool = False,
) -> User:
    """A new account. Without a password the account cannot sign in until one is set."""
    user = User(
        username=username,
        first_name=first_name,
        last_name=last_name,
        email=email,
        preferred_language=preferred_language,
        is_staff=is_staff,
    )
    if password is None:
        user.set_unusable_password()
    else:
        user.set_password(password)
    user.full_clean()
    user.save()
    return user


def get_user_by_username(username: str, /) -> User:
    return User.objects.get(username__iexact=username)


def set_preferred_language(user: User, language: str, /) -> User:
    """Every page, report and email for this person comes in `language` from now on."""
    if language not in Language.values:
        raise ValueError(
            f"Unknown language {language!r}: choose one of {', '.join(Language.values)}."
        )
    user.preferred_language = language
    user.save(update_fields=["preferred_language"])
    return user

"""Reading Mastery's environment: fail loudly, name the variable."""

from enum import StrEnum

import environ
from django.core.exceptions import ImproperlyConfigured


class Mode(StrEnum):
    """What the process is for; it decides which defaults are safe."""

    PRODUCTION = "production"
    DEMO = "demo"
    TEST = "test"


# A known, public key: only ever used for the demo school and the test suite.
_INSECURE_KEY = "mastery-demo-and-test-only-never-in-production"


def read_mode(env: environ.Env) -> Mode:
    value = env.str("MASTERY_MODE", default=Mode.PRODUCTION.value)
    try:
        return Mode(value)
    except ValueError:
        choices = ", ".join(mode.value for mode in Mode)
        raise ImproperlyConfigured(
            f"MASTERY_MODE must be one of {choices} (got {value!r})"
        ) from None


def require_secret_key(env: environ.Env, mode: Mode) -> str:
    key = env.str("SECRET_KEY", default="")
    if key:
        return key
    if mode is Mode.PRODUCTION:
        raise ImproperlyConfigured(
            "SECRET_KEY is required in production: set it in the environment or .env "
            "(or set MASTERY_MODE=demo to run the demo school)"
        )
    return _INSECURE_KEY

"""This installation's credential signing key: an Ed25519 private key in a PEM file.

The file is named by the CREDENTIAL_SIGNING_KEY_FILE setting. Demo and test make one on first use
(readable by its owner only); production refuses to sign without it, so that a lost or
misconfigured key never silently becomes a new identity.
"""

import os
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from mastery.lib.env import Mode


class KeyFileError(ValueError):
    """A key file that cannot be read as the kind of key asked for."""


def key_file() -> Path:
    return Path(settings.CREDENTIAL_SIGNING_KEY_FILE)


def load_private_key() -> Ed25519PrivateKey:
    """The signing key; made on first use outside production."""
    path = key_file()
    if not path.exists():
        if settings.MODE is Mode.PRODUCTION:
            raise ImproperlyConfigured(
                f"CREDENTIAL_SIGNING_KEY_FILE: {path} does not exist. Create an Ed25519 key, "
                f"e.g. `openssl genpkey -algorithm ed25519 -out {path}`, and keep it out of "
                "the repository."
            )
        _create(path)
    return read_private_key(path.read_bytes(), name=str(path))


def load_public_key() -> Ed25519PublicKey:
    return load_private_key().public_key()


def read_private_key(data: bytes, *, name: str) -> Ed25519PrivateKey:
    try:
        key = serialization.load_pem_private_key(data, password=None)
    except (ValueError, TypeError):
        raise KeyFileError(f"{name} is not an unencrypted PEM private key") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise KeyFileError(f"{name} is not an Ed25519 key")
    return key


def read_public_key(data: bytes, *, name: str) -> Ed25519PublicKey:
    """A public key from a PEM file (a private key's PEM gives its public half)."""
    if b"PRIVATE KEY" in data:
        return read_private_key(data, name=name).public_key()
    try:
        key = serialization.load_pem_public_key(data)
    except (ValueError, TypeError):
        raise KeyFileError(f"{name} is not a PEM public key") from None
    if not isinstance(key, Ed25519PublicKey):
        raise KeyFileError(f"{name} is not an Ed25519 key")
    return key


def _create(path: Path) -> None:
    pem = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    # Written aside, then linked into place: a process that loses the race reads a whole file.
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as file:
        file.write(pem)
    try:
        os.link(temporary, path)
    except FileExistsError:
        pass  # another process made it first; use theirs
    finally:
        temporary.unlink()

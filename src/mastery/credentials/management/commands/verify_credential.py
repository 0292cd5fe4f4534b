"""`mastery verify_credential FILE [--public-key KEY]`: check a signed transcript credential.

Prints what it verified (issuer, subject, achievements) and exits 0, or one line saying why not
and exits 1. FILE is a compact VC-JWT (`.jwt`) or its JSON envelope (`.json`); `-` reads stdin.
"""

import sys
from pathlib import Path
from typing import Any, NoReturn

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandParser

from mastery.credentials import api as credentials


class Command(BaseCommand):
    help = "Verify a signed mastery-transcript credential (.jwt or .json)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="the credential file (.jwt or .json), or - for stdin")
        parser.add_argument(
            "--public-key",
            type=Path,
            help="the issuer's public key, PEM or JWK (default: this installation's key)",
        )

    def handle(self, *args: Any, file: str, public_key: Path | None, **options: Any) -> None:
        try:
            text = sys.stdin.read() if file == "-" else Path(file).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            self._fail(f"cannot read {file}: {error}")
        key = None
        if public_key is not None:
            try:
                key = credentials.read_public_key_file(public_key)
            except (OSError, credentials.KeyFileError) as error:
                self._fail(f"cannot use the public key: {error}")
        try:
            result = credentials.verify_credential(text, public_key=key)
        except (ImproperlyConfigured, credentials.KeyFileError) as error:
            self._fail(f"no key to verify with: {error}")
        if not result.ok:
            self._fail(result.reason)
        self.stdout.write(self.style.SUCCESS(result.summary()))

    def _fail(self, reason: str) -> NoReturn:
        self.stderr.write(f"NOT VERIFIED: {reason}")
        sys.exit(1)

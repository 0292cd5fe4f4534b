"""`mastery verify_credential FILE`: what it verified and exit 0, or one line why not and exit 1."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from mastery.credentials import api as credentials
from mastery.lib.env import Mode
from tests.world import World

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_file(scored_world: World, tmp_path: Path) -> Path:
    credential = credentials.build_transcript_credential(
        scored_world.maya, issued_at=timezone.now()
    )
    path = tmp_path / "maya.jwt"
    path.write_text(credentials.sign_credential(credential))
    return path


def _run(*args: str) -> tuple[int, str, str]:
    out, err = StringIO(), StringIO()
    try:
        call_command("verify_credential", *args, stdout=out, stderr=err)
    except SystemExit as stop:
        return int(stop.code or 0), out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


def test_a_signed_transcript_verifies_with_this_installations_key(signed_file: Path) -> None:
    code, out, _ = _run(str(signed_file))

    assert code == 0
    assert "Verified: issued by Riverside High School" in out
    assert "to Maya Okafor" in out
    assert "2 achievement(s)" in out


def test_the_json_envelope_verifies_too(signed_file: Path, tmp_path: Path) -> None:
    path = tmp_path / "maya.json"
    path.write_text(json.dumps(credentials.envelope_credential(signed_file.read_text())))

    assert _run(str(path))[0] == 0


def test_a_one_character_change_exits_1_with_the_reason(signed_file: Path) -> None:
    text = signed_file.read_text()
    middle = len(text) // 2
    signed_file.write_text(
        text[:middle] + ("A" if text[middle] != "A" else "B") + text[middle + 1 :]
    )

    code, out, err = _run(str(signed_file))

    assert code == 1
    assert out == ""
    assert err.strip().startswith("NOT VERIFIED: ")
    assert len(err.strip().splitlines()) == 1


def test_another_schools_public_key_does_not_verify_it(
    signed_file: Path, other_key_file: Path
) -> None:
    code, _, err = _run(str(signed_file), "--public-key", str(other_key_file))

    assert code == 1
    assert "unknown key" in err


def test_the_published_jwk_verifies_it(signed_file: Path, tmp_path: Path) -> None:
    jwk_file = tmp_path / "mastery-credential-key.json"
    jwk_file.write_text(json.dumps(credentials.get_public_jwk()))

    assert _run(str(signed_file), "--public-key", str(jwk_file))[0] == 0


def test_a_missing_file_or_key_says_so(signed_file: Path, tmp_path: Path) -> None:
    code, _, err = _run(str(tmp_path / "nowhere.jwt"))
    assert code == 1
    assert "cannot read" in err

    code, _, err = _run(str(signed_file), "--public-key", str(tmp_path / "nowhere.pem"))
    assert code == 1
    assert "cannot use the public key" in err


def test_the_command_answers_to_its_hyphenated_name(signed_file: Path) -> None:
    out = StringIO()

    call_command("verify-credential", str(signed_file), stdout=out)

    assert out.getvalue().startswith("Verified: ")


def test_production_without_a_key_file_says_so_in_one_line(
    settings, signed_file: Path, signing_key_file: Path
) -> None:
    signing_key_file.unlink()
    settings.MODE = Mode.PRODUCTION

    code, _, err = _run(str(signed_file))

    assert code == 1
    assert err.strip().startswith(
        "NOT VERIFIED: no key to verify with: CREDENTIAL_SIGNING_KEY_FILE"
    )

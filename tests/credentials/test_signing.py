"""Signing as VC-JWT (EdDSA, Ed25519) and verifying: a signed credential verifies; a
one-character change anywhere, another key, an expired or malformed credential do not."""

import datetime
import json
import uuid
from decimal import Decimal
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.exceptions import ImproperlyConfigured

from mastery.credentials import api as credentials
from mastery.credentials import builder, keys, signing
from mastery.credentials.verification import Problem, jwt_payload, sign_credential_with
from mastery.lib.env import Mode

NOW = datetime.datetime(2026, 11, 2, 15, 0, tzinfo=datetime.UTC)
BASE64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"


def _transcript(**changes: object) -> builder.Transcript:
    """A transcript built without a database: one competency, one course."""
    levels = tuple(
        builder.Level(
            uuid=uuid.uuid5(uuid.NAMESPACE_URL, label),
            label=label,
            value=Decimal(value),
            is_mastery=label == "Meeting",
        )
        for value, label in enumerate(["Beginning", "Developing", "Meeting", "Exceeding"], 1)
    )
    fields: dict[str, object] = {
        "credential_uuid": uuid.uuid4(),
        "issued_at": NOW - datetime.timedelta(days=1),
        "issuer": builder.Issuer(uuid=uuid.uuid4(), name="Riverside High School"),
        "student_uuid": uuid.uuid4(),
        "student_name": "Maya Okafor",
        "student_number": "R-1001",
        "competencies": (
            builder.CompetencyResult(
                uuid=uuid.uuid4(),
                key="AW",
                title="Argumentative writing",
                description="",
                framework="Riverside competencies",
                levels=levels,
                achieved=levels[3],
                mastered=True,
            ),
        ),
        "courses": (
            builder.CourseResult(
                uuid=uuid.uuid4(),
                key="ALG",
                title="Algebra",
                description="",
                credit_area="Mathematics",
                credit_area_key="math",
                credits_available=Decimal("0.5"),
                credits_earned=Decimal("0.5"),
                term="Fall 2026-27",
                starts_on=datetime.date(2026, 8, 24),
                ends_on=datetime.date(2027, 1, 22),
                grade="A",
                grades=("A", "B", "C", "D", "F", "Incomplete"),
            ),
        ),
    }
    fields.update(changes)
    return builder.Transcript(**fields)  # type: ignore[arg-type]


@pytest.fixture
def key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


@pytest.fixture
def token(key: Ed25519PrivateKey) -> str:
    return sign_credential_with(builder.build_clr(_transcript()), key)


def _verify(text: str, key: Ed25519PrivateKey):
    return credentials.verify_credential(text, public_key=key.public_key(), now=NOW)


def test_a_signed_credential_verifies_and_says_what_it_holds(
    token: str, key: Ed25519PrivateKey
) -> None:
    result = _verify(token, key)

    assert result.ok, result.reason
    assert result.issuer_name == "Riverside High School"
    assert result.subject_name == "Maya Okafor"
    assert result.achievements == 2
    nested = result.credential["credentialSubject"]["verifiableCredential"]
    assert [item["credentialSubject"]["achievement"]["name"] for item in nested] == [
        "Algebra",
        "Argumentative writing",
    ]
    assert nested[0]["credentialSubject"]["creditsEarned"] == 0.5


def test_the_token_is_a_vc_jwt_with_the_registered_claims(
    token: str, key: Ed25519PrivateKey
) -> None:
    read = signing.read(token)
    jwk = signing.public_jwk(key.public_key())

    assert read.header == {"alg": "EdDSA", "typ": "JWT", "kid": jwk["kid"], "jwk": jwk}
    assert read.payload["iss"] == read.payload["issuer"]["id"]
    assert read.payload["jti"] == read.payload["id"]
    assert read.payload["sub"] == read.payload["credentialSubject"]["id"]
    assert read.payload["nbf"] == int((NOW - datetime.timedelta(days=1)).timestamp())
    nested = read.payload["credentialSubject"]["verifiableCredential"]
    assert all(isinstance(item, str) and item.count(".") == 2 for item in nested)


def test_a_one_character_change_anywhere_in_the_token_fails(
    token: str, key: Ed25519PrivateKey
) -> None:
    still_verified = []
    for position, character in enumerate(token):
        replacement = "A" if character != "A" else "B"
        changed = token[:position] + replacement + token[position + 1 :]
        if _verify(changed, key).ok:
            still_verified.append(position)

    assert still_verified == []


def test_the_last_character_of_the_signature_cannot_hide_a_change_in_padding_bits(
    token: str, key: Ed25519PrivateKey
) -> None:
    # The signature's last base64url character carries 2 bits of signature and 4 of padding.
    for replacement in BASE64URL.replace(token[-1], ""):
        result = _verify(token[:-1] + replacement, key)
        assert not result.ok
        assert result.problem in {Problem.MALFORMED, Problem.BAD_SIGNATURE}


def test_a_change_inside_the_signed_content_is_a_bad_signature(
    token: str, key: Ed25519PrivateKey
) -> None:
    header, payload, signature = token.split(".")
    content = json.loads(signing.decode_segment(payload, part="payload"))
    content["credentialSubject"]["achievement"][0]["name"] = "Algebra II"
    forged = signing.encode_segment(json.dumps(content).encode())

    result = _verify(f"{header}.{forged}.{signature}", key)

    assert (result.ok, result.problem) == (False, Problem.BAD_SIGNATURE)
    assert result.reason.startswith("bad signature")


def test_the_json_envelope_verifies_and_any_change_to_its_text_fails(
    token: str, key: Ed25519PrivateKey
) -> None:
    text = json.dumps(credentials.envelope_credential(token), indent=2)
    assert _verify(text, key).ok

    for position in range(len(text)):
        if text[position].isspace():
            continue  # JSON's own whitespace carries no content
        replacement = "A" if text[position] != "A" else "B"
        assert not _verify(text[:position] + replacement + text[position + 1 :], key).ok


def test_another_key_is_an_unknown_key(token: str) -> None:
    result = _verify(token, Ed25519PrivateKey.generate())

    assert (result.ok, result.problem) == (False, Problem.UNKNOWN_KEY)
    assert "not the trusted key" in result.reason


def test_another_key_claiming_to_be_ours_is_a_bad_signature(key: Ed25519PrivateKey) -> None:
    forger = Ed25519PrivateKey.generate()
    forged = sign_credential_with(builder.build_clr(_transcript()), forger)
    ours = signing.public_jwk(key.public_key())
    header = {"alg": "EdDSA", "typ": "JWT", "kid": ours["kid"], "jwk": ours}
    _, payload, signature = forged.split(".")
    disguised = f"{signing.encode_segment(json.dumps(header).encode())}.{payload}.{signature}"

    result = _verify(disguised, key)

    assert (result.ok, result.problem) == (False, Problem.BAD_SIGNATURE)


def test_an_expired_credential_fails(key: Ed25519PrivateKey) -> None:
    credential = builder.build_clr(_transcript()) | {"validUntil": "2026-11-01T00:00:00Z"}

    result = _verify(sign_credential_with(credential, key), key)

    assert (result.ok, result.problem) == (False, Problem.EXPIRED)
    assert "2026-11-01T00:00:00Z" in result.reason


def test_a_credential_valid_only_from_tomorrow_is_not_valid_yet(key: Ed25519PrivateKey) -> None:
    credential = builder.build_clr(_transcript(issued_at=NOW + datetime.timedelta(days=1)))

    result = _verify(sign_credential_with(credential, key), key)

    assert (result.ok, result.problem) == (False, Problem.NOT_YET_VALID)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "3 dot-separated parts"),
        ("hello", "3 dot-separated parts"),
        ("a.b.c", "not base64url"),
        ("e30.e30.e30", "algorithm"),
        ("{not json", "not JSON"),
        ('{"type": ["VerifiableCredential"]}', "unsigned"),
    ],
)
def test_malformed_text_says_what_is_wrong(key: Ed25519PrivateKey, text: str, reason: str) -> None:
    result = _verify(text, key)

    assert (result.ok, result.problem) == (False, Problem.MALFORMED)
    assert reason in result.reason


def test_an_unsigned_nested_credential_is_refused(key: Ed25519PrivateKey) -> None:
    credential = builder.build_clr(_transcript())
    payload = {**credential}
    token = signing.sign(jwt_payload(payload), key)

    result = _verify(token, key)

    assert (result.ok, result.problem) == (False, Problem.MALFORMED)
    assert "nested credential 1 is not a signed VC-JWT" in result.reason


def test_demo_and_test_make_a_key_on_first_use_readable_by_its_owner_only(
    signing_key_file: Path,
) -> None:
    assert not signing_key_file.exists()

    jwk = credentials.get_public_jwk()

    assert signing_key_file.stat().st_mode & 0o777 == 0o600
    assert credentials.get_public_jwk() == jwk  # the same key the second time


def test_production_refuses_to_sign_without_a_key(settings, signing_key_file: Path) -> None:
    settings.MODE = Mode.PRODUCTION

    with pytest.raises(ImproperlyConfigured, match="CREDENTIAL_SIGNING_KEY_FILE"):
        credentials.sign_credential(builder.build_clr(_transcript()))
    assert not signing_key_file.exists()


def test_a_key_file_that_is_not_ed25519_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "not-a-key.pem"
    path.write_text("hello")

    with pytest.raises(credentials.KeyFileError, match="not a PEM public key"):
        credentials.read_public_key_file(path)
    with pytest.raises(keys.KeyFileError, match="not an unencrypted PEM private key"):
        keys.read_private_key(b"hello", name="hello.pem")

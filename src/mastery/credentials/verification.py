"""Signing a transcript credential as VC-JWT, and verifying one. Pure: keys and "now" come in.

Open Badges 3.0 §8.2: the JWT payload is the credential itself with the registered claims beside
it (`iss` the issuer's id, `jti` the credential's id, `sub` the subject's id, `nbf` its
`validFrom`, `exp` its `validUntil` if any); the header carries `alg: EdDSA`, the key (`jwk`) and
its thumbprint (`kid`). The achievement credentials nested in a CLR are signed the same way first
and carried as compact JWTs, as in the CLR sample (shared/samples/clr/clr20_simple.jwt).

The `.json` form of a signed credential is the VC Data Model 2.0 envelope around the same token:
``{"@context": [...], "type": "EnvelopedVerifiableCredential",
"id": "data:application/vc+jwt,<JWT>"}``.
"""

import datetime
import json
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from mastery.credentials import signing
from mastery.credentials.builder import CREDENTIALS_CONTEXT

ENVELOPE_PREFIX = "data:application/vc+jwt,"
ENVELOPE_TYPE = "EnvelopedVerifiableCredential"
CREDENTIAL_TYPES = frozenset({"ClrCredential", "OpenBadgeCredential", "AchievementCredential"})


class Problem(StrEnum):
    """Why a credential did not verify."""

    MALFORMED = "malformed"
    UNKNOWN_KEY = "unknown key"
    BAD_SIGNATURE = "bad signature"
    EXPIRED = "expired"
    NOT_YET_VALID = "not yet valid"


@dataclass(frozen=True, slots=True, kw_only=True)
class VerificationResult:
    """What a verification found: `ok`, or the `problem` and a one-line `reason`.

    When it verified: the issuer, the subject, how many achievements the credential holds, and
    the credential as JSON (nested credentials decoded in place of their tokens).
    """

    ok: bool
    problem: Problem | None = None
    reason: str = ""
    issuer_id: str = ""
    issuer_name: str = ""
    subject_id: str = ""
    subject_name: str = ""
    achievements: int = 0
    key_id: str = ""
    credential: dict[str, Any] = field(default_factory=dict)

    def summary(self) -> str:
        if not self.ok:
            return f"NOT VERIFIED: {self.reason}"
        subject = (
            f"{self.subject_name} ({self.subject_id})" if self.subject_name else self.subject_id
        )
        return (
            f"Verified: issued by {self.issuer_name} ({self.issuer_id}) to {subject}; "
            f"{self.achievements} achievement(s); signed with key {self.key_id}."
        )


class VerificationError(ValueError):
    def __init__(self, problem: Problem, detail: str) -> None:
        self.problem = problem
        super().__init__(f"{problem.value}: {detail}")


def sign_credential_with(credential: dict[str, Any], private_key: Ed25519PrivateKey) -> str:
    """The compact VC-JWT of `credential`, its nested achievement credentials signed first."""
    credential = dict(credential)
    subject = credential.get("credentialSubject")
    if isinstance(subject, dict) and isinstance(subject.get("verifiableCredential"), list):
        credential["credentialSubject"] = {
            **subject,
            "verifiableCredential": [
                item if isinstance(item, str) else sign_credential_with(item, private_key)
                for item in subject["verifiableCredential"]
            ],
        }
    return signing.sign(jwt_payload(credential), private_key)


def envelope(token: str) -> dict[str, Any]:
    """The VCDM 2.0 JSON envelope of a signed credential."""
    return {"@context": [CREDENTIALS_CONTEXT], "id": ENVELOPE_PREFIX + token, "type": ENVELOPE_TYPE}


def jwt_payload(credential: dict[str, Any]) -> dict[str, Any]:
    """The credential with the registered claims OB 3.0 §8.2 asks for beside it."""
    claims: dict[str, Any] = {
        "iss": _issuer_id(credential),
        "jti": credential.get("id"),
        "nbf": _epoch(credential.get("validFrom"), "validFrom"),
    }
    subject = credential.get("credentialSubject")
    if isinstance(subject, dict) and "id" in subject:
        claims["sub"] = subject["id"]
    if "validUntil" in credential:
        claims["exp"] = _epoch(credential["validUntil"], "validUntil")
    return {**credential, **claims}


def verify_text(
    text: str, public_key: Ed25519PublicKey, /, *, now: datetime.datetime
) -> VerificationResult:
    """Verify a signed credential given as a compact JWT or its JSON envelope."""
    try:
        token = _token_from(text.strip())
        credential, key_id = _verify_token(token, public_key, now=now)
    except VerificationError as error:
        return VerificationResult(ok=False, problem=error.problem, reason=str(error))
    issuer = credential["issuer"]
    subject = credential["credentialSubject"]
    names = [
        entry.get("identityHash", "")
        for entry in subject.get("identifier", [])
        if isinstance(entry, dict) and entry.get("identityType") == "name"
    ]
    achievement = subject.get("achievement")
    return VerificationResult(
        ok=True,
        issuer_id=_issuer_id(credential),
        issuer_name=issuer.get("name", "") if isinstance(issuer, dict) else "",
        subject_id=str(subject.get("id", "")),
        subject_name=names[0] if names else "",
        achievements=len(achievement) if isinstance(achievement, list) else int(bool(achievement)),
        key_id=key_id,
        credential=credential,
    )


def _token_from(text: str) -> str:
    if not text.startswith("{"):
        return text
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise VerificationError(Problem.MALFORMED, f"not JSON ({error.msg})") from None
    if not isinstance(document, dict) or document.get("type") != ENVELOPE_TYPE:
        raise VerificationError(
            Problem.MALFORMED,
            f"JSON that is not an {ENVELOPE_TYPE} (a credential without its VC-JWT is unsigned)",
        )
    expected = envelope("")
    if set(document) != set(expected) or document["@context"] != expected["@context"]:
        raise VerificationError(Problem.MALFORMED, "the envelope has other members or contexts")
    identifier = document["id"]
    if not isinstance(identifier, str) or not identifier.startswith(ENVELOPE_PREFIX):
        raise VerificationError(Problem.MALFORMED, f"the envelope's id is not {ENVELOPE_PREFIX}…")
    return identifier.removeprefix(ENVELOPE_PREFIX)


def _verify_token(
    text: str, public_key: Ed25519PublicKey, /, *, now: datetime.datetime
) -> tuple[dict[str, Any], str]:
    try:
        token = signing.read(text)
    except signing.MalformedTokenError as error:
        raise VerificationError(Problem.MALFORMED, str(error)) from None
    expected = signing.public_jwk(public_key)
    key_id = token.header.get("kid", "")
    carried = token.header.get("jwk")
    if (key_id and key_id != expected["kid"]) or (
        isinstance(carried, dict) and carried.get("x") != expected["x"]
    ):
        raise VerificationError(
            Problem.UNKNOWN_KEY,
            f"signed with key {key_id or '(unnamed)'}, not the trusted key {expected['kid']}",
        )
    try:
        signing.check_signature(token, public_key)
    except signing.BadSignatureError as error:
        raise VerificationError(Problem.BAD_SIGNATURE, str(error)) from None
    credential = _credential_from(token.payload, now=now)
    subject = credential["credentialSubject"]
    nested = subject.get("verifiableCredential")
    if nested is not None:
        if not isinstance(nested, list):
            raise VerificationError(Problem.MALFORMED, "verifiableCredential is not a list")
        decoded = []
        for number, item in enumerate(nested, start=1):
            if not isinstance(item, str):
                raise VerificationError(
                    Problem.MALFORMED, f"nested credential {number} is not a signed VC-JWT"
                )
            try:
                inner, _ = _verify_token(item, public_key, now=now)
            except VerificationError as error:
                raise VerificationError(
                    error.problem, f"nested credential {number}: {error}"
                ) from None
            decoded.append(inner)
        credential["credentialSubject"] = {**subject, "verifiableCredential": decoded}
    return credential, expected["kid"]


def _credential_from(payload: dict[str, Any], *, now: datetime.datetime) -> dict[str, Any]:
    """The credential in a verified payload, after checking the claims agree with it."""
    claims = {name: payload.get(name) for name in ("iss", "jti", "nbf", "sub", "exp")}
    credential = {name: value for name, value in payload.items() if name not in claims}
    types = credential.get("type")
    if not isinstance(types, list) or "VerifiableCredential" not in types:
        raise VerificationError(Problem.MALFORMED, "the payload is not a verifiable credential")
    if not CREDENTIAL_TYPES.intersection(types):
        raise VerificationError(
            Problem.MALFORMED, f"the credential is none of {', '.join(sorted(CREDENTIAL_TYPES))}"
        )
    if not isinstance(credential.get("credentialSubject"), dict):
        raise VerificationError(Problem.MALFORMED, "the credential has no credentialSubject")
    expected = jwt_payload(credential)
    for name, value in claims.items():
        if value != expected.get(name):
            raise VerificationError(
                Problem.MALFORMED, f"the {name} claim does not match the credential"
            )
    moment = now.timestamp()
    if claims["nbf"] is not None and moment < claims["nbf"]:
        raise VerificationError(
            Problem.NOT_YET_VALID, f"valid from {credential['validFrom']}, after now"
        )
    if claims["exp"] is not None and moment >= claims["exp"]:
        raise VerificationError(Problem.EXPIRED, f"valid until {credential['validUntil']}")
    return credential


def _issuer_id(credential: dict[str, Any]) -> str:
    issuer = credential.get("issuer")
    if isinstance(issuer, dict):
        issuer = issuer.get("id")
    if not isinstance(issuer, str) or not issuer:
        raise VerificationError(Problem.MALFORMED, "the credential names no issuer")
    return issuer


def _epoch(value: object, name: str) -> int:
    if not isinstance(value, str):
        raise VerificationError(Problem.MALFORMED, f"{name} is missing")
    try:
        moment = datetime.datetime.fromisoformat(value)
    except ValueError:
        raise VerificationError(Problem.MALFORMED, f"{name} is not a date and time") from None
    if moment.tzinfo is None:
        raise VerificationError(Problem.MALFORMED, f"{name} has no time zone")
    return int(moment.timestamp())

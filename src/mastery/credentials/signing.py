"""Compact JWS with Ed25519 (alg EdDSA), as Open Badges 3.0 §8.2 VC-JWT uses it. No Django.

A token is ``BASE64URL(header) . BASE64URL(payload) . BASE64URL(signature)``; the signature covers
the first two parts exactly as written, so any change to them fails verification. The third part
is read strictly: base64url text that does not re-encode to itself is refused, since otherwise a
changed last character (whose low bits are padding) would decode to the same signature.
"""

import base64
import binascii
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

ALGORITHM = "EdDSA"


class MalformedTokenError(ValueError):
    """Text that is not a compact JWS this module can read."""


class BadSignatureError(ValueError):
    """A well-formed token whose signature does not match its content under the key."""


def encode_segment(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def decode_segment(text: str, *, part: str) -> bytes:
    """The bytes of one base64url part; refuses padding, other alphabets and non-canonical text."""
    try:
        data = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError):
        raise MalformedTokenError(f"the {part} is not base64url text") from None
    if encode_segment(data) != text:
        raise MalformedTokenError(f"the {part} is not canonical base64url text")
    return data


def public_jwk(public_key: Ed25519PublicKey) -> dict[str, str]:
    """The key as a JSON Web Key (RFC 8037), with its RFC 7638 thumbprint as `kid`."""
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    x = encode_segment(raw)
    return {"kty": "OKP", "crv": "Ed25519", "x": x, "kid": thumbprint(x), "alg": ALGORITHM}


def thumbprint(x: str) -> str:
    """RFC 7638: SHA-256 of the required members in lexical order, base64url."""
    required = json.dumps({"crv": "Ed25519", "kty": "OKP", "x": x}, separators=(",", ":"))
    return encode_segment(hashlib.sha256(required.encode("ascii")).digest())


def public_key_from_jwk(jwk: object) -> Ed25519PublicKey:
    if not isinstance(jwk, dict) or jwk.get("kty") != "OKP" or jwk.get("crv") != "Ed25519":
        raise MalformedTokenError("the key is not an Ed25519 JSON Web Key")
    x = jwk.get("x")
    if not isinstance(x, str):
        raise MalformedTokenError("the key has no x")
    raw = decode_segment(x, part="key's x")
    if len(raw) != 32:
        raise MalformedTokenError("the key's x is not 32 bytes")
    return Ed25519PublicKey.from_public_bytes(raw)


def sign(payload: dict[str, Any], private_key: Ed25519PrivateKey) -> str:
    """A compact JWS of `payload`; the header names the key (`kid`) and carries it (`jwk`)."""
    jwk = public_jwk(private_key.public_key())
    header = {"alg": ALGORITHM, "typ": "JWT", "kid": jwk["kid"], "jwk": jwk}
    signing_input = ".".join(
        encode_segment(json.dumps(part, separators=(",", ":"), ensure_ascii=False).encode())
        for part in (header, payload)
    )
    signature = private_key.sign(signing_input.encode("ascii"))
    return f"{signing_input}.{encode_segment(signature)}"


@dataclass(frozen=True, slots=True)
class Token:
    """A compact JWS read but not yet verified."""

    header: dict[str, Any]
    payload: dict[str, Any]
    signing_input: bytes
    signature: bytes


def read(token: str) -> Token:
    """Parse a compact JWS; raises MalformedTokenError saying what is wrong."""
    parts = token.split(".")
    if len(parts) != 3:
        raise MalformedTokenError(f"a compact JWS has 3 dot-separated parts, not {len(parts)}")
    decoded: list[dict[str, Any]] = []
    for text, part in zip(parts[:2], ("header", "payload"), strict=True):
        data = decode_segment(text, part=part)
        try:
            value = json.loads(data)
        except (UnicodeDecodeError, json.JSONDecodeError):
            raise MalformedTokenError(f"the {part} is not JSON") from None
        if not isinstance(value, dict):
            raise MalformedTokenError(f"the {part} is not a JSON object")
        decoded.append(value)
    header, payload = decoded
    if header.get("alg") != ALGORITHM:
        raise MalformedTokenError(f"the algorithm is {header.get('alg')!r}, not {ALGORITHM}")
    signature = decode_segment(parts[2], part="signature")
    if len(signature) != 64:
        raise MalformedTokenError("an Ed25519 signature is 64 bytes")
    return Token(
        header=header,
        payload=payload,
        signing_input=f"{parts[0]}.{parts[1]}".encode("ascii"),
        signature=signature,
    )


def check_signature(token: Token, public_key: Ed25519PublicKey) -> None:
    """Raises BadSignatureError unless the key signed exactly this header and payload."""
    try:
        public_key.verify(token.signature, token.signing_input)
    except InvalidSignature:
        raise BadSignatureError("the signature does not match the content") from None

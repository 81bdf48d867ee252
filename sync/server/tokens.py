"""Short-lived access tokens (HMAC-SHA256 signed) and hashing of device credentials and enrollment codes.

Credentials and codes are random with ≥ 128 bits (codes: 60 bits, one-time and expiring), so a plain SHA-256
is enough to store them: a slow KDF protects guessable secrets, these are not guessable.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import time
from dataclasses import dataclass

from sync.codes import code_characters

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I: read aloud over the phone by IT


class InvalidToken(Exception):
    """The token is malformed, forged or expired."""


@dataclass(frozen=True)
class TokenClaims:
    device_id: str
    user_id: str
    expires_at: int
    credential_tag: str | None = None  # ``credential_tag`` of the credential it was issued for; None: issued before


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def credential_tag(credential_hash: str) -> str:
    """What a token names of the device credential it was issued for (a prefix of its stored hash): a device given a
    new credential (enrolled again after a lost answer) no longer answers to the tokens of the old one."""
    return credential_hash[:16]


def issue_token(secret: str, device_id: str, user_id: str, lifetime_seconds: int, now: float | None = None, *,
                tag: str | None = None) -> str:
    """A signed token naming the device and user (and ``tag``, its credential's ``credential_tag``), valid for
    ``lifetime_seconds``."""
    issued = int(time.time() if now is None else now)
    claims: dict[str, object] = {"d": device_id, "u": user_id, "exp": issued + lifetime_seconds}
    if tag is not None:
        claims["c"] = tag
    payload = json.dumps(claims, separators=(",", ":"))
    body = _b64(payload.encode("utf-8"))
    signature = hmac.new(secret.encode("utf-8"), body.encode("ascii"), hashlib.sha256).digest()
    return f"v1.{body}.{_b64(signature)}"


def verify_token(secret: str, token: str, now: float | None = None) -> TokenClaims:
    """The claims of a genuine, unexpired token; raises InvalidToken otherwise."""
    try:
        version, body, signature = token.split(".")
        if version != "v1":
            raise InvalidToken("unknown token version")
        expected = hmac.new(secret.encode("utf-8"), body.encode("ascii"), hashlib.sha256).digest()
        if not hmac.compare_digest(expected, _unb64(signature)):
            raise InvalidToken("bad token signature")
        payload = json.loads(_unb64(body))
        tag = payload.get("c")
        claims = TokenClaims(str(payload["d"]), str(payload["u"]), int(payload["exp"]),
                             None if tag is None else str(tag))
    except InvalidToken:
        raise
    except (ValueError, KeyError, TypeError, UnicodeError) as exc:
        raise InvalidToken("malformed token") from exc
    if claims.expires_at <= int(time.time() if now is None else now):
        raise InvalidToken("token expired")
    return claims


def new_device_credential() -> str:
    """A random 256-bit device credential, URL-safe."""
    return secrets.token_urlsafe(32)


def new_enrollment_code() -> str:
    """A one-time code of 12 easily read characters (60 bits), grouped for reading aloud."""
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def bearer(authorization: str | None) -> str | None:
    """The credential of an ``Authorization: Bearer <credential>`` header, or None when it names none.

    The scheme's name is matched without regard to case (RFC 9110, section 11.1): "bearer <token>", as some HTTP
    libraries write it, was answered 401 "a bearer access token is required" with a valid token."""
    scheme, _, credential = (authorization or "").partition(" ")
    credential = credential.strip()
    return credential if scheme.lower() == "bearer" and credential else None


def normalise_code(code: str) -> str:
    """Codes are compared without dashes, spaces, case or width (``sync.codes.code_characters``): a code typed in
    full width or with Arabic-Indic digits was refused as unknown."""
    return code_characters(code)


def secret_hash(secret: str) -> str:
    """SHA-256 hex of a high-entropy secret, for storage and constant-time comparison."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()

"""The key file: the random data key, wrapped under the passphrase (Argon2id + AES-256-GCM) and optionally
under the municipality's recovery public key (RSA-OAEP-SHA256).

The header (format, KDF parameters and salt, the recovery wrap) is the GCM associated data, so a change to any of it
makes the passphrase unwrap fail. A SHA-256 checksum over the whole body tells accidental damage apart from a wrong
passphrase before any key is derived.

Format 2 names in that header the Unicode form the passphrase was wrapped under (``passphrase_form``: always NFC), so
the unwrap derives one key, right passphrase or wrong. Format 1 (before session 21) has no such field: its wrap may
be under NFC, the form as typed or NFD, so every form is tried (``passphrase_forms``), and ``unwrap_file`` rewraps
it as format 2 after its first successful unwrap. A program that reads only format 1 refuses format 2 before any
derivation as a damaged key file, touching nothing; this one refuses a format newer than 2 as ``KeyFileTooNew``.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import unicodedata
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Final

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from storage.errors import KeyFileTooNew, ProfileDamaged, RecoveryFailed, WrongPassphrase
from storage.files import wipe_bytes, write_atomically
from storage.kdf import KEY_BYTES, SALT_BYTES, KdfParameters, derive_key, new_salt
from storage.key_helper import write_upgrade

FORMAT_PREFIX = "hembesok-keyfile/"
FORMAT_VERSION = 2
FORMAT = f"{FORMAT_PREFIX}{FORMAT_VERSION}"
OLD_FORMAT = f"{FORMAT_PREFIX}1"  # no passphrase_form: every form of the passphrase is tried
WRAP_FORM: Final = "NFC"  # the form every wrap uses (what a Swedish keyboard types)
NONCE_BYTES = 12
RECOVERY_ALGORITHM = "RSA-OAEP-SHA256"
# Sizes a sound key file has; anything else is damage, refused before any key is derived. A real file is ~1 KiB.
MAX_FILE_BYTES = 64 * 1024
TAG_BYTES = 16
RECOVERY_CIPHERTEXT_BYTES = range(2048 // 8, 8192 // 8 + 1)  # RSA 2048 to 8192 bits


@dataclass(frozen=True)
class RecoveryWrap:
    """The data key encrypted to the municipality's recovery public key."""

    key_sha256: str  # fingerprint of the public key (DER SubjectPublicKeyInfo), so IT can pick the right private key
    ciphertext: bytes


@dataclass(frozen=True)
class KeyFile:
    kdf: KdfParameters
    salt: bytes
    nonce: bytes
    ciphertext: bytes
    recovery: RecoveryWrap | None = None
    passphrase_form: str | None = WRAP_FORM  # None: a format 1 file, wrapped under a form nobody recorded

    def header(self) -> dict[str, Any]:
        """The authenticated part: everything except the passphrase wrap itself."""
        recovery = None
        if self.recovery is not None:
            recovery = {
                "algorithm": RECOVERY_ALGORITHM,
                "key_sha256": self.recovery.key_sha256,
                "ciphertext": _b64(self.recovery.ciphertext),
            }
        header: dict[str, Any] = {
            "format": OLD_FORMAT if self.passphrase_form is None else FORMAT,
            "kdf": {"algorithm": "argon2id", **self.kdf.as_dict(), "salt": _b64(self.salt)},
            "recovery": recovery,
        }
        if self.passphrase_form is not None:  # a format 1 header stays byte for byte what its wrap authenticated
            header["passphrase_form"] = self.passphrase_form
        return header

    def to_bytes(self) -> bytes:
        """The file's content: header, wrap and checksum, as JSON."""
        body = {**self.header(), "wrap": {"algorithm": "AES-256-GCM", "nonce": _b64(self.nonce),
                                          "ciphertext": _b64(self.ciphertext)}}
        body["checksum"] = _checksum(body)
        return (json.dumps(body, indent=2, sort_keys=True) + "\n").encode("ascii")


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: Any) -> bytes:
    if not isinstance(text, str):
        raise ValueError("not base64 text")
    return base64.b64decode(text.encode("ascii"), validate=True)


def _canonical(value: Any) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":")).encode("utf-8")


def _checksum(body: dict[str, Any]) -> str:
    return hashlib.sha256(_canonical({k: v for k, v in body.items() if k != "checksum"})).hexdigest()


def read_key_file(path: Path) -> KeyFile:
    """Parse and check the key file; ``ProfileDamaged`` naming it when it is missing, damaged, edited or holds
    parameters outside safe bounds (checked here, before any derivation); ``KeyFileTooNew`` for a newer format."""
    return parse_key_file(path, read_raw(path))


def read_raw(path: Path) -> bytes:
    """The key file's bytes (at most one more than a sound file may have); ``ProfileDamaged`` when it is missing."""
    try:
        with open(path, "rb") as handle:
            return handle.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError as error:
        raise ProfileDamaged(path, "missing") from error


def parse_key_file(path: Path, raw: bytes) -> KeyFile:
    """``read_key_file`` of the bytes ``raw`` read from ``path`` (named in the errors)."""
    try:
        if len(raw) > MAX_FILE_BYTES:
            raise ValueError("size")
        key_file = _parse(json.loads(raw.decode("ascii")))
    except (ValueError, KeyError, TypeError, AttributeError, OverflowError, RecursionError) as error:
        # UnicodeDecodeError and JSONDecodeError are ValueErrors; the message names the file, never its content.
        raise ProfileDamaged(path, f"damaged ({type(error).__name__})") from None
    return key_file


def _parse(body: Any) -> KeyFile:
    form = _passphrase_form(body)
    if body.get("checksum") != _checksum(body):
        raise ValueError("checksum")
    kdf = body["kdf"]
    if kdf["algorithm"] != "argon2id":
        raise ValueError("kdf")
    recovery = None
    if body["recovery"] is not None:
        if body["recovery"]["algorithm"] != RECOVERY_ALGORITHM:
            raise ValueError("recovery")
        recovery = RecoveryWrap(_fingerprint(body["recovery"]["key_sha256"]),
                                _sized(body["recovery"]["ciphertext"], RECOVERY_CIPHERTEXT_BYTES))
    return KeyFile(
        kdf=KdfParameters.from_dict(kdf),  # bounded: ValueError outside what this program accepts
        salt=_sized(kdf["salt"], range(SALT_BYTES, SALT_BYTES + 1)),
        nonce=_sized(body["wrap"]["nonce"], range(NONCE_BYTES, NONCE_BYTES + 1)),
        ciphertext=_sized(body["wrap"]["ciphertext"], range(KEY_BYTES + TAG_BYTES, KEY_BYTES + TAG_BYTES + 1)),
        recovery=recovery,
        passphrase_form=form,
    )


def _passphrase_form(body: dict[str, Any]) -> str | None:
    """The recorded form (None for format 1). A newer format is refused as such before its checksum is checked: a
    later version may sum otherwise, and "damaged" would send the person to IT for a file that is sound."""
    found = body.get("format")
    if found == OLD_FORMAT and "passphrase_form" not in body:
        return None
    if found == FORMAT and body.get("passphrase_form") == WRAP_FORM:
        return WRAP_FORM
    version = found[len(FORMAT_PREFIX):] if isinstance(found, str) and found.startswith(FORMAT_PREFIX) else ""
    if version.isascii() and version.isdigit() and len(version) < 6 and int(version) > FORMAT_VERSION:
        raise KeyFileTooNew(int(version), FORMAT_VERSION)
    raise ValueError("format")


def _sized(text: Any, sizes: range) -> bytes:
    """Base64 text decoding to one of ``sizes`` bytes (checked on the text's length first: no huge decode)."""
    if not isinstance(text, str) or len(text) > 4 * (sizes.stop // 3 + 1):
        raise ValueError("size")
    data = _unb64(text)
    if len(data) not in sizes:
        raise ValueError("size")
    return data


def _fingerprint(text: Any) -> str:
    if not isinstance(text, str) or len(text) != 64 or any(c not in "0123456789abcdef" for c in text):
        raise ValueError("fingerprint")
    return text


def write_key_file(path: Path, key_file: KeyFile) -> None:
    """Write the key file atomically, owner-only."""
    write_atomically(path, key_file.to_bytes())


def wrap(data_key: bytearray, passphrase: str, kdf: KdfParameters, recovery: RecoveryWrap | None) -> KeyFile:
    """A format 2 key file holding ``data_key`` under ``passphrase`` in NFC (fresh salt and nonce)."""
    salt = new_salt()
    kek = derive_key(unicodedata.normalize(WRAP_FORM, passphrase), salt, kdf)
    try:
        return _wrap_under(kek, data_key, KeyFile(kdf=kdf, salt=salt, nonce=b"", ciphertext=b"", recovery=recovery))
    finally:
        wipe_bytes(kek)


def _wrap_under(kek: bytearray, data_key: bytearray, draft: KeyFile) -> KeyFile:
    """``draft``'s KDF, salt and recovery wrap as a format 2 file, ``data_key`` wrapped under ``kek`` (the key
    derived from the NFC form with that salt) and a fresh nonce."""
    header = replace(draft, nonce=secrets.token_bytes(NONCE_BYTES), ciphertext=b"", passphrase_form=WRAP_FORM)
    ciphertext = AESGCM(bytes(kek)).encrypt(header.nonce, bytes(data_key), _canonical(header.header()))
    return replace(header, ciphertext=ciphertext)


def passphrase_forms(passphrase: str) -> list[str]:
    """The forms of ``passphrase`` a format 1 key file may be wrapped under, NFC (the one ``wrap`` uses) first.

    "å" is one character (NFC) as a Swedish keyboard types it, or "a" and a combining ring (NFD) as some pastes and
    input methods give it: the same passphrase to the person, other bytes to the KDF. A passphrase made by such a
    paste was refused as wrong when typed. ``wrap`` uses NFC; a format 1 file may hold the form as typed or NFD.
    """
    return list(dict.fromkeys((unicodedata.normalize("NFC", passphrase), passphrase,
                               unicodedata.normalize("NFD", passphrase))))


def unwrap(key_file: KeyFile, passphrase: str) -> bytearray:
    """The data key; ``WrongPassphrase`` when the passphrase in the recorded form (one KDF run) does not match the
    wrap and the authenticated header. A format 1 file records no form: each of ``passphrase_forms`` is tried (one
    for plain ASCII; two or three runs for a wrong passphrase with å, ä or ö)."""
    return _unwrap(key_file, passphrase, rewrap=False)[0]


def unwrap_file(path: Path, passphrase: str) -> bytearray:
    """``unwrap`` of the key file at ``path`` (the unlock's and the restore's way in), a format 1 file upgraded to
    format 2 (``unwrap_for_upgrade``) and written here: the caller holds the profile lock (``storage.profile_lock``).
    A wrong passphrase writes nothing."""
    data_key, read, upgraded = unwrap_for_upgrade(path, passphrase)
    if upgraded is not None:
        write_upgrade(path, read, upgraded)
    return data_key


def unwrap_for_upgrade(path: Path, passphrase: str) -> tuple[bytearray, bytes, bytes | None]:
    """The data key of the key file at ``path``, the bytes read from it, and (for a format 1 file) the format 2
    file to replace it with, or None. Writes nothing: the key helper hands the new file to the app, which holds the
    profile lock, so a helper left running by an app killed mid-unlock cannot write over a file that the next holder
    (a new app, ``storage.recover``) has meanwhile (s23-loose). The new file wraps the same key under the key just
    derived when the format 1 wrap was under NFC (as since session 20, and every ASCII passphrase), else under a
    fresh salt (one more KDF run, once), so later unlocks derive once."""
    read = read_raw(path)
    key_file = parse_key_file(path, read)
    if key_file.passphrase_form is not None:
        return unwrap(key_file, passphrase), read, None
    data_key, upgraded = _unwrap(key_file, passphrase, rewrap=True)
    upgraded = upgraded or wrap(data_key, passphrase, key_file.kdf, key_file.recovery)
    return data_key, read, upgraded.to_bytes()


def _unwrap(key_file: KeyFile, passphrase: str, *, rewrap: bool) -> tuple[bytearray, KeyFile | None]:
    """The data key and, with ``rewrap``, the format 2 file wrapping it when the NFC form opened it."""
    if key_file.passphrase_form is None:
        forms = passphrase_forms(passphrase)
    else:
        forms = [unicodedata.normalize(WRAP_FORM, passphrase)]  # the only form a format 2 file may record
    for form in forms:
        # Only the NFC form's key (forms[0]) may wrap the format 2 file: that file says NFC.
        opened = _unwrap_form(key_file, form, rewrap=rewrap and form == forms[0])
        if opened is not None:
            return opened
    raise WrongPassphrase()


def _unwrap_form(key_file: KeyFile, passphrase: str, *, rewrap: bool) -> tuple[bytearray, KeyFile | None] | None:
    """The data key under this form of the passphrase (None when it does not open the wrap) and, with ``rewrap``,
    the same key file as format 2, wrapped under the key derived here: no second derivation."""
    kek = derive_key(passphrase, key_file.salt, key_file.kdf)
    try:
        try:
            plain = AESGCM(bytes(kek)).decrypt(key_file.nonce, key_file.ciphertext, _canonical(key_file.header()))
        except InvalidTag:
            return None
        if len(plain) != KEY_BYTES:
            return None
        data_key = bytearray(plain)
        return data_key, _wrap_under(kek, data_key, key_file) if rewrap else None
    finally:
        wipe_bytes(kek)


def public_key_fingerprint(public_key: rsa.RSAPublicKey) -> str:
    """SHA-256 of the DER SubjectPublicKeyInfo, hex."""
    der = public_key.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    return hashlib.sha256(der).hexdigest()


def _oaep() -> padding.OAEP:
    return padding.OAEP(mgf=padding.MGF1(algorithm=hashes.SHA256()), algorithm=hashes.SHA256(), label=None)


def wrap_for_recovery(data_key: bytearray, public_key_pem: bytes) -> RecoveryWrap:
    """The data key encrypted to an RSA public key (PEM), at least 2048 bits."""
    public_key = serialization.load_pem_public_key(public_key_pem)
    if not isinstance(public_key, rsa.RSAPublicKey) or public_key.key_size < 2048:
        raise ValueError("the recovery key must be an RSA public key of at least 2048 bits")
    return RecoveryWrap(public_key_fingerprint(public_key), public_key.encrypt(bytes(data_key), _oaep()))


def unwrap_with_recovery(key_file: KeyFile, private_key: rsa.RSAPrivateKey) -> bytearray:
    """The data key, decrypted with the municipality's recovery private key."""
    if key_file.recovery is None:
        raise RecoveryFailed("this profile was created without a recovery key")
    if public_key_fingerprint(private_key.public_key()) != key_file.recovery.key_sha256:
        raise RecoveryFailed("the private key does not belong to this profile's recovery key")
    try:
        plain = private_key.decrypt(key_file.recovery.ciphertext, _oaep())
    except ValueError as error:
        raise RecoveryFailed("the recovery wrap could not be decrypted") from error
    if len(plain) != KEY_BYTES:
        raise RecoveryFailed("the recovery wrap holds no data key")
    return bytearray(plain)

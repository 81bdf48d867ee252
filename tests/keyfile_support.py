"""Key file helpers shared by the storage and UI tests (imported by name: pytest puts ``tests/`` on sys.path).

``rewrite_as_format_1`` makes a key file as the program wrote it before session 21 (no record of the passphrase's
Unicode form), step by step as that code did rather than through ``storage.keyfile``'s classes, so the tests prove
the program still opens what is on the laptops. ``counting_helper_boot`` counts the key derivations in the key
helper process.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from storage.kdf import derive_key, new_salt
from storage.keyfile import read_key_file, unwrap


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _canonical(value: Any) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":")).encode("utf-8")


def rewrite_as_format_1(path: Path, passphrase: str, wrapped_form: str) -> None:
    """Replace the key file at ``path`` (which ``passphrase`` opens) by the format 1 file that wraps the same data
    key and recovery wrap under ``wrapped_form``, byte for byte as the old ``KeyFile.to_bytes`` wrote it."""
    current = read_key_file(path)
    data_key = unwrap(current, passphrase)
    recovery = None if current.recovery is None else {
        "algorithm": "RSA-OAEP-SHA256",
        "key_sha256": current.recovery.key_sha256,
        "ciphertext": _b64(current.recovery.ciphertext),
    }
    salt, nonce = new_salt(), secrets.token_bytes(12)
    header = {
        "format": "hembesok-keyfile/1",
        "kdf": {"algorithm": "argon2id", **current.kdf.as_dict(), "salt": _b64(salt)},
        "recovery": recovery,
    }
    kek = derive_key(wrapped_form, salt, current.kdf)
    ciphertext = AESGCM(bytes(kek)).encrypt(nonce, bytes(data_key), _canonical(header))
    body: dict[str, Any] = {**header, "wrap": {"algorithm": "AES-256-GCM", "nonce": _b64(nonce),
                                               "ciphertext": _b64(ciphertext)}}
    body["checksum"] = hashlib.sha256(_canonical(body)).hexdigest()
    path.write_bytes((json.dumps(body, indent=2, sort_keys=True) + "\n").encode("ascii"))


def counting_helper_boot(count_file: Path) -> str:
    """A ``storage.key_helper._BOOT`` for the real helper that first appends one byte to ``count_file`` for each
    ``derive_key`` call (a file: the helper ends with ``os._exit``, so nothing may wait for its shutdown)."""
    return (
        "import sys; sys.path.insert(0, sys.argv[1]); import storage.keyfile as keyfile\n"
        "derive = keyfile.derive_key\n"
        "def counted(*args):\n"
        f"    with open({str(count_file)!r}, 'ab') as count: count.write(b'x')\n"
        "    return derive(*args)\n"
        "keyfile.derive_key = counted\n"
        "from storage.key_helper import serve; serve()\n"
    )


def helper_derivations(count_file: Path) -> int:
    return len(count_file.read_bytes()) if count_file.exists() else 0

"""Key-file parameters outside safe bounds: the typed "key file damaged" error before any key is derived.

Each edit recomputes the checksum, so only the bounds can catch it; before them, iterations = 10^6 kept unlock busy
for minutes and p = 0, negative or huge values reached argon2 (HashingError, OverflowError).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from storage_support import PASSPHRASE

from storage.errors import ProfileDamaged
from storage.keyfile import _checksum
from storage.profile import Profile, key_file_path, unlock_profile

HUGE = 10**30


def _edit(directory: Path, change: Any) -> None:
    """Apply ``change`` to the key file's JSON body and recompute the checksum, as a deliberate edit would."""
    path = key_file_path(directory)
    body = json.loads(path.read_text())
    change(body)
    body["checksum"] = _checksum(body)
    path.write_text(json.dumps(body))


def _set_kdf(name: str, value: Any) -> Any:
    return lambda body: body["kdf"].__setitem__(name, value)


def _set_wrap(name: str, value: Any) -> Any:
    return lambda body: body["wrap"].__setitem__(name, value)


EDITS = {
    "iterations 10^6": _set_kdf("iterations", 10**6),
    "iterations 0": _set_kdf("iterations", 0),
    "iterations negative": _set_kdf("iterations", -3),
    "iterations huge": _set_kdf("iterations", HUGE),
    "iterations a float": _set_kdf("iterations", 2.0),
    "iterations true": _set_kdf("iterations", True),
    "iterations infinity": _set_kdf("iterations", float("inf")),
    "memory 64 GiB": _set_kdf("memory_kib", 64 * 1024 * 1024),
    "memory huge": _set_kdf("memory_kib", HUGE),
    "memory negative": _set_kdf("memory_kib", -1),
    "memory below Argon2's minimum": _set_kdf("memory_kib", 4),
    "parallelism 0": _set_kdf("parallelism", 0),
    "parallelism negative": _set_kdf("parallelism", -1),
    "parallelism huge": _set_kdf("parallelism", 2**40),
    "parallelism 1000": _set_kdf("parallelism", 1000),
    "salt empty": _set_kdf("salt", ""),
    "salt 1 MB": _set_kdf("salt", "QUFB" * 350_000),
    "salt short": _set_kdf("salt", "QUFBQQ=="),
    "nonce empty": _set_wrap("nonce", ""),
    "nonce long": _set_wrap("nonce", "QUFB" * 40),
    "wrapped key short": _set_wrap("ciphertext", "QUFB"),
    "recovery fingerprint odd": lambda body: body.__setitem__(
        "recovery", {"algorithm": "RSA-OAEP-SHA256", "key_sha256": "x" * 10**5, "ciphertext": "QUFB"}),
}


@pytest.fixture
def closed_profile(profile: Profile, profile_dir: Path) -> Path:
    profile.lock()
    return profile_dir


@pytest.mark.parametrize("edit", list(EDITS), ids=list(EDITS))
def test_parameters_out_of_bounds_are_a_damaged_key_file(closed_profile: Path, edit: str) -> None:
    _edit(closed_profile, EDITS[edit])
    before = key_file_path(closed_profile).read_bytes()
    with pytest.raises(ProfileDamaged) as caught:  # not argon2's HashingError, OverflowError or WrongPassphrase
        unlock_profile(closed_profile, PASSPHRASE)
    assert caught.value.path == key_file_path(closed_profile)
    assert caught.value.__suppress_context__ and caught.value.__cause__ is None  # no chained content
    assert key_file_path(closed_profile).read_bytes() == before


def test_infinity_and_deep_nesting_are_a_damaged_key_file(closed_profile: Path) -> None:
    path = key_file_path(closed_profile)
    text = path.read_text()
    for damaged in (text.replace('"iterations": 1', '"iterations": Infinity'),
                    "[" * 60_000 + "]" * 60_000, " " * (10 * 1024 * 1024)):
        path.write_text(damaged)
        with pytest.raises(ProfileDamaged) as caught:
            unlock_profile(closed_profile, PASSPHRASE)
        assert caught.value.path == path


def test_parameters_inside_the_bounds_still_unlock(closed_profile: Path) -> None:
    # The bounds let through what calibrate() and the tests choose; an edit inside them is still caught by the
    # authenticated header (WrongPassphrase, tested in test_storage_tamper.py), so here only the untouched file.
    unlock_profile(closed_profile, PASSPHRASE).lock()

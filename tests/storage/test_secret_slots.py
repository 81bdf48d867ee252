"""Secrets in the encrypted store: replaced, deleted, kept across lock/unlock, unreadable while locked."""

from __future__ import annotations

from pathlib import Path

import pytest

from storage.errors import ProfileLocked
from storage.kdf import KdfParameters
from storage.profile import create_profile, unlock_profile

PASSPHRASE = "korrekt häst batteri häftklammer"
CHEAP = KdfParameters(memory_kib=256, iterations=1, parallelism=1)
MARKER = "HEMLIGHETSMARKÖR-7f3a9c"


def test_a_secret_is_replaced_deleted_and_survives_lock_and_unlock(tmp_path: Path) -> None:
    profile = create_profile(tmp_path / "p", PASSPHRASE, user_id="u1", kdf=CHEAP)
    assert profile.secrets.get("sync_device") is None
    profile.secrets.put("sync_device", "first")
    profile.secrets.put("sync_device", MARKER)
    profile.lock()
    with pytest.raises(ProfileLocked):
        profile.secrets.get("sync_device")
    again = unlock_profile(tmp_path / "p", PASSPHRASE)
    assert again.secrets.get("sync_device") == MARKER
    again.secrets.delete("sync_device")
    again.secrets.delete("sync_device")  # deleting what is gone is not an error
    assert again.secrets.get("sync_device") is None
    again.lock()


def test_a_secret_never_reaches_a_file_in_plaintext(tmp_path: Path) -> None:
    profile = create_profile(tmp_path / "p", PASSPHRASE, user_id="u1", kdf=CHEAP)
    profile.secrets.put("sync_device", MARKER)
    needles = (MARKER.encode("utf-8"), MARKER.encode("utf-16-le"))
    for state in ("open", "closed"):
        for path in (tmp_path / "p").rglob("*"):
            if path.is_file():
                content = path.read_bytes()
                assert not any(needle in content for needle in needles), (state, path.name)
        profile.lock()


def test_secret_names_are_code_not_user_input(tmp_path: Path) -> None:
    profile = create_profile(tmp_path / "p", PASSPHRASE, user_id="u1", kdf=CHEAP)
    for bad in ("", "Sync", "a b", "x" * 60, "../key"):
        with pytest.raises(ValueError):
            profile.secrets.put(bad, "x")
    profile.lock()


def test_a_secret_cannot_overwrite_the_profiles_own_settings(tmp_path: Path) -> None:
    profile = create_profile(tmp_path / "p", PASSPHRASE, user_id="u1", kdf=CHEAP)
    profile.secrets.put("user_id", "someone else")
    profile.lock()
    again = unlock_profile(tmp_path / "p", PASSPHRASE)
    assert again.user_id == "u1" and again.secrets.get("user_id") == "someone else"
    again.lock()

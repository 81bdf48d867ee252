"""Recovery with the municipality's private key: access restored, a new passphrase set, no unsynced work lost."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from storage_support import CHEAP_KDF, OTHER_PASSPHRASE, PASSPHRASE, snapshot

from storage.errors import RecoveryFailed, WrongPassphrase
from storage.profile import Profile, create_profile, unlock_profile
from storage.recover import recover

REPO = Path(__file__).resolve().parents[2]


def _key_pair(tmp_path: Path, name: str, password: bytes | None = None) -> tuple[Path, bytes, rsa.RSAPrivateKey]:
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    encryption = (
        serialization.NoEncryption() if password is None else serialization.BestAvailableEncryption(password)
    )
    path = tmp_path / f"{name}.pem"
    path.write_bytes(
        private.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption)
    )
    public = private.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return path, public, private


def _run_recover(profile_dir: Path, key: Path, new_passphrase: str, password: str = "") -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(REPO), "HEMBESOK_RECOVERY_KEY_PASSWORD": password}
    return subprocess.run(
        [sys.executable, "-m", "storage.recover", "--profile", str(profile_dir), "--private-key", str(key),
         "--new-passphrase-stdin"],
        input=new_passphrase + "\n", capture_output=True, text=True, env=env, cwd=REPO, timeout=60,
    )


def test_the_recover_command_restores_access_with_a_new_passphrase(tmp_path: Path, profile_dir: Path, demo) -> None:
    key_path, public_pem, _private = _key_pair(tmp_path, "kommunen", password=b"it-avdelningens nyckel")
    profile = create_profile(profile_dir, PASSPHRASE, user_id="u1", kdf=CHEAP_KDF, recovery_public_key_pem=public_pem)
    people, cases = demo
    profile.people.save(people[0])
    profile.cases.save(cases[0])
    pending = profile.journal.pending_count()
    profile.lock()
    result = _run_recover(profile_dir, key_path, OTHER_PASSPHRASE, password="it-avdelningens nyckel")
    assert result.returncode == 0, result.stderr
    with pytest.raises(WrongPassphrase):
        unlock_profile(profile_dir, PASSPHRASE)
    reopened = unlock_profile(profile_dir, OTHER_PASSPHRASE)
    try:
        assert reopened.cases.load(cases[0].id) == cases[0]
        assert reopened.journal.pending_count() == pending
        assert reopened.audit.entries()[-1].action == "recover"
        assert reopened.audit.verify().ok
    finally:
        reopened.lock()


def test_another_private_key_changes_nothing(tmp_path: Path, profile_dir: Path) -> None:
    _right, public_pem, _private = _key_pair(tmp_path, "kommunen")
    wrong_path, _public, _other = _key_pair(tmp_path, "annan")
    create_profile(profile_dir, PASSPHRASE, user_id="u1", kdf=CHEAP_KDF, recovery_public_key_pem=public_pem).lock()
    before = snapshot(profile_dir)
    result = _run_recover(profile_dir, wrong_path, OTHER_PASSPHRASE)
    assert result.returncode == 2
    assert "does not belong" in result.stderr
    assert snapshot(profile_dir) == before
    unlock_profile(profile_dir, PASSPHRASE).lock()


def test_a_weak_new_passphrase_is_refused(tmp_path: Path, profile_dir: Path) -> None:
    key_path, public_pem, _private = _key_pair(tmp_path, "kommunen")
    create_profile(profile_dir, PASSPHRASE, user_id="u1", kdf=CHEAP_KDF, recovery_public_key_pem=public_pem).lock()
    result = _run_recover(profile_dir, key_path, "kort")
    assert result.returncode == 2 and "too weak" in result.stderr
    unlock_profile(profile_dir, PASSPHRASE).lock()


def test_a_profile_without_a_recovery_wrap_cannot_be_recovered(tmp_path: Path, profile: Profile,
                                                               profile_dir: Path) -> None:
    _path, _public, private = _key_pair(tmp_path, "kommunen")
    profile.lock()
    with pytest.raises(RecoveryFailed):
        recover(profile_dir, private, OTHER_PASSPHRASE)


def test_a_small_or_non_rsa_recovery_key_is_refused(tmp_path: Path, profile_dir: Path) -> None:
    small = rsa.generate_private_key(public_exponent=65537, key_size=1024).public_key()
    pem = small.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    with pytest.raises(ValueError):
        create_profile(profile_dir, PASSPHRASE, user_id="u1", kdf=CHEAP_KDF, recovery_public_key_pem=pem)
    assert not any(profile_dir.glob("profile.*"))


def test_a_new_passphrase_piped_with_windows_line_endings_is_the_one_the_user_types(
    tmp_path: Path, profile_dir: Path
) -> None:
    # Only "\n" was taken off the piped line: "...\r" became the passphrase, which no unlock field can take.
    key_path, public_pem, _private = _key_pair(tmp_path, "kommunen")
    create_profile(profile_dir, PASSPHRASE, user_id="u1", kdf=CHEAP_KDF, recovery_public_key_pem=public_pem).lock()
    result = _run_recover(profile_dir, key_path, OTHER_PASSPHRASE + "\r")  # the command adds the "\n"
    assert result.returncode == 0, result.stderr
    unlock_profile(profile_dir, OTHER_PASSPHRASE).lock()


def test_the_new_passphrase_repeated_at_the_prompt_may_arrive_in_the_other_unicode_form(
        tmp_path: Path, profile_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Pasted once (a decomposed "ä") and typed once, as the app's dialogs allow (``same_passphrase``): on s20-probe
    the recover command said "The passphrases differ"."""
    import getpass
    import unicodedata

    from storage import recover as command

    key_path, public_pem, _private = _key_pair(tmp_path, "kommunen")
    create_profile(profile_dir, PASSPHRASE, user_id="u1", kdf=CHEAP_KDF, recovery_public_key_pem=public_pem).lock()
    new = "ny-lösenfras-för-vintern"
    answers = iter([unicodedata.normalize("NFD", new), new])
    monkeypatch.setattr(getpass, "getpass", lambda _prompt: next(answers))
    assert command.main(["--profile", str(profile_dir), "--private-key", str(key_path)]) == 0
    unlock_profile(profile_dir, new).lock()


def test_a_format_1_key_file_keeps_its_recovery_wrap_through_the_upgrade(tmp_path: Path, profile_dir: Path) -> None:
    """Upgraded at the unlock (format 2: the passphrase's form recorded), the key file is still recoverable with the
    municipality's key, and the recovery writes format 2 as well."""
    from keyfile_support import rewrite_as_format_1

    from storage.profile import key_file_path

    _path, public_pem, private = _key_pair(tmp_path, "kommunen")
    create_profile(profile_dir, PASSPHRASE, user_id="u1", kdf=CHEAP_KDF, recovery_public_key_pem=public_pem).lock()
    rewrite_as_format_1(key_file_path(profile_dir), PASSPHRASE, PASSPHRASE)
    unlock_profile(profile_dir, PASSPHRASE).lock()
    assert b"hembesok-keyfile/2" in key_file_path(profile_dir).read_bytes()
    recover(profile_dir, private, OTHER_PASSPHRASE)
    assert b'"passphrase_form": "NFC"' in key_file_path(profile_dir).read_bytes()
    unlock_profile(profile_dir, OTHER_PASSPHRASE).lock()

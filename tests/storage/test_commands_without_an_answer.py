"""IT's commands run where no answer comes (a script with nothing piped, Ctrl+D at the prompt): one line, exit status
2, nothing changed (s23-probesrv). Before, getpass at the end of its input ended ``storage.recover`` and
``storage.restore`` in an EOFError traceback, and an empty pipe to ``--passphrase-stdin`` was tried as the passphrase
"" and counted as a wrong one by the unlock throttle; a recovery key password variable that is not UTF-8 was the codec's
message. Each fails on main."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from storage_support import CHEAP_KDF, PASSPHRASE
from test_piped_passphrases import REPO, _command
from test_storage_recovery import _key_pair

from storage.profile import create_profile, key_file_path, unlock_profile
from storage.throttle import UnlockThrottle


def _recoverable(tmp_path: Path, password: bytes | None) -> tuple[Path, Path]:
    key, public_pem, _private = _key_pair(tmp_path, "kommunen", password=password)
    profile_dir = tmp_path / "profile"
    create_profile(profile_dir, PASSPHRASE, user_id="u1", kdf=CHEAP_KDF, recovery_public_key_pem=public_pem).lock()
    return profile_dir, key


@pytest.mark.parametrize(("password", "options"), [
    (b"it-avdelningens nyckel", ("--new-passphrase-stdin",)),  # the key's password is asked (no variable set)
    (None, ()),  # the new passphrase is asked
])
def test_recover_without_an_answer_at_its_prompt_says_so_and_changes_nothing(
    tmp_path: Path, password: bytes | None, options: tuple[str, ...]
) -> None:
    profile_dir, key = _recoverable(tmp_path, password)
    before = key_file_path(profile_dir).read_bytes()
    done = _command("storage.recover", "--profile", str(profile_dir), "--private-key", str(key), *options, piped=b"")
    assert done.returncode == 2, done.stderr
    assert done.stderr.strip().splitlines()[-1] == (
        "Recovery failed: no answer at the prompt (the input ended or was interrupted)")
    assert "Traceback" not in done.stderr
    assert key_file_path(profile_dir).read_bytes() == before
    unlock_profile(profile_dir, PASSPHRASE).lock()


def test_recover_with_nothing_piped_says_so_not_that_the_passphrase_is_weak(tmp_path: Path) -> None:
    profile_dir, key = _recoverable(tmp_path, None)
    done = _command("storage.recover", "--profile", str(profile_dir), "--private-key", str(key),
                    "--new-passphrase-stdin", piped=b"")
    assert (done.returncode, done.stderr.strip()) == (
        2, "Recovery failed: nothing was piped: the input ended before a passphrase")
    unlock_profile(profile_dir, PASSPHRASE).lock()


@pytest.mark.parametrize(("options", "reason"), [
    ((), "no answer at the prompt (the input ended or was interrupted)"),
    (("--passphrase-stdin",), "nothing was piped: the input ended before a passphrase"),
])
def test_restore_without_an_answer_says_so_and_counts_no_wrong_passphrase(tmp_path: Path, options: tuple[str, ...],
                                                                         reason: str) -> None:
    profile_dir = tmp_path / "profile"
    create_profile(profile_dir, PASSPHRASE, user_id="u1", kdf=CHEAP_KDF).lock()
    done = _command("storage.restore", "--profile", str(profile_dir), *options, piped=b"")
    assert done.returncode == 2, done.stderr
    assert done.stderr.strip().splitlines()[-1] == f"Nothing was restored: {reason}."
    assert "Traceback" not in done.stderr
    assert UnlockThrottle(profile_dir).failures() == 0


def test_a_recovery_key_password_variable_that_is_not_utf8_is_named(tmp_path: Path) -> None:
    # Its bytes reach Python as lone surrogates: the message was the codec's "surrogates not allowed".
    profile_dir, key = _recoverable(tmp_path, "nyckelns lösen".encode())
    env = {name: value for name, value in os.environb.items() if name != b"HEMBESOK_RECOVERY_KEY_PASSWORD"}
    env[b"PYTHONPATH"] = str(REPO).encode()
    env[b"HEMBESOK_RECOVERY_KEY_PASSWORD"] = "nyckelns lösen".encode("latin-1")
    done = subprocess.run([sys.executable, "-m", "storage.recover", "--profile", str(profile_dir), "--private-key",
                           str(key), "--new-passphrase-stdin"], input=b"ny l\xc3\xa5ng l\xc3\xb6senfras i v\xc3\xa5r\n",
                          capture_output=True, env=env, cwd=REPO, timeout=120, check=False)
    assert done.returncode == 2, done.stderr
    assert done.stderr.decode().strip() == (
        "Recovery failed: HEMBESOK_RECOVERY_KEY_PASSWORD is not UTF-8 text (the script's or the terminal's encoding)")
    unlock_profile(profile_dir, PASSPHRASE).lock()

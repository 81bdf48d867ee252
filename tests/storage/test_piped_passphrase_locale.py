"""A piped passphrase is read as UTF-8 whatever the terminal's locale makes of stdin. s22-probesrv's refusal of
bytes that are not UTF-8 relied on Python's stdin handing them on as lone surrogates, which it does only under the C
locale: under a UTF-8 locale (sv_SE.UTF-8: stdin is strict, as PYTHONIOENCODING=utf-8:strict makes it here)
``storage.restore`` still ended in a UnicodeDecodeError traceback, and where stdin is read as cp1252 (a Windows
console's pipe) ``storage.recover`` set "ny lÃ¥ng ..." from a UTF-8 "ny lång ...", a passphrase no one types. Both
fail on s22-probesrv."""

from __future__ import annotations

from pathlib import Path

import pytest
from storage_support import CHEAP_KDF, PASSPHRASE
from test_piped_passphrases import NEW, _command
from test_storage_recovery import _key_pair

from storage.profile import create_profile, unlock_profile


def test_restore_under_a_strict_utf8_stdin_says_so_in_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PYTHONIOENCODING", "utf-8:strict")
    profile_dir = tmp_path / "profile"
    create_profile(profile_dir, PASSPHRASE, user_id="u1", kdf=CHEAP_KDF).lock()
    done = _command("storage.restore", "--profile", str(profile_dir), "--passphrase-stdin",
                    piped=f"{PASSPHRASE}\n".encode("latin-1"))
    assert done.returncode == 2, done.stderr
    assert done.stderr.strip() == "Nothing was restored: the piped passphrase is not UTF-8 text."


def test_recover_reads_a_utf8_passphrase_as_utf8_where_stdin_is_cp1252(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PYTHONIOENCODING", "cp1252")
    key, public_pem, _private = _key_pair(tmp_path, "kommunen")
    profile_dir = tmp_path / "profile"
    create_profile(profile_dir, PASSPHRASE, user_id="u1", kdf=CHEAP_KDF, recovery_public_key_pem=public_pem).lock()
    done = _command("storage.recover", "--profile", str(profile_dir), "--private-key", str(key),
                    "--new-passphrase-stdin", piped=f"{NEW}\n".encode())
    assert done.returncode == 0, done.stderr
    unlock_profile(profile_dir, NEW).lock()

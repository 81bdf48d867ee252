"""A piped passphrase is read as UTF-8 whatever the locale makes of stdin: where stdin is read as cp1252 (a Windows
console's pipe) ``storage.recover`` set "ny lÃ¥ng ..." from a UTF-8 "ny lång ...", a passphrase no one types. Fails
on s22-probesrv. (The strict stdin of a UTF-8 locale: test_piped_passphrases.py.)"""

from __future__ import annotations

from pathlib import Path

import pytest
from storage_support import CHEAP_KDF, PASSPHRASE
from test_piped_passphrases import NEW, _command
from test_storage_recovery import _key_pair

from storage.profile import create_profile, unlock_profile


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

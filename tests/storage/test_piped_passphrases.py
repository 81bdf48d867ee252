"""A passphrase piped to IT's commands that no one could type at the unlock field is refused in one line, and the
profile keeps the passphrase it had. Before, ``python -m storage.recover --new-passphrase-stdin`` set a new passphrase
holding a NUL or a tab (the profile then opened with nothing a person can type), and bytes that are not UTF-8 ended
``python -m storage.restore --passphrase-stdin`` in a UnicodeEncodeError traceback and ``storage.recover`` in the
codec's message. Each fails on main."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from storage_support import CHEAP_KDF, PASSPHRASE
from test_storage_recovery import _key_pair

from storage.profile import create_profile, unlock_profile

REPO = Path(__file__).resolve().parents[2]
NEW = "ny lång lösenfras i vår"


def _command(module: str, *arguments: str, piped: bytes) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO), "HEMBESOK_RECOVERY_KEY_PASSWORD": ""}
    done = subprocess.run([sys.executable, "-m", module, *arguments], input=piped, capture_output=True, env=env,
                          cwd=REPO, timeout=120, check=False)
    return subprocess.CompletedProcess(done.args, done.returncode, done.stdout.decode(), done.stderr.decode())


@pytest.mark.parametrize(("piped", "reason"), [
    ("ny lång\x00lösenfras i vår\n".encode(), "holds a control character, which the unlock field cannot take"),
    ("ny lång\tlösenfras i vår\n".encode(), "holds a control character, which the unlock field cannot take"),
    ("ny lång lösenfras i vår\n".encode("latin-1"), "is not UTF-8 text"),
])
def test_recover_refuses_a_new_passphrase_no_one_can_type_and_the_old_one_still_opens(
    tmp_path: Path, piped: bytes, reason: str
) -> None:
    key, public_pem, _private = _key_pair(tmp_path, "kommunen")
    profile_dir = tmp_path / "profile"
    create_profile(profile_dir, PASSPHRASE, user_id="u1", kdf=CHEAP_KDF, recovery_public_key_pem=public_pem).lock()
    done = _command("storage.recover", "--profile", str(profile_dir), "--private-key", str(key),
                    "--new-passphrase-stdin", piped=piped)
    assert done.returncode == 2
    assert done.stderr.strip() == f"Recovery failed: the piped passphrase {reason}"
    unlock_profile(profile_dir, PASSPHRASE).lock()
    _command("storage.recover", "--profile", str(profile_dir), "--private-key", str(key), "--new-passphrase-stdin",
             piped=f"{NEW}\n".encode())
    unlock_profile(profile_dir, NEW).lock()  # the command itself still sets a passphrase piped as UTF-8


# Python decodes stdin by the locale: surrogates under C, strict under sv_SE.UTF-8 (a traceback until s22-rprobesrv).
@pytest.mark.parametrize("stdin_encoding", [None, "utf-8:strict"])
def test_restore_with_a_passphrase_piped_in_another_encoding_says_so_in_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, stdin_encoding: str | None
) -> None:
    if stdin_encoding is not None:
        monkeypatch.setenv("PYTHONIOENCODING", stdin_encoding)
    profile_dir = tmp_path / "profile"
    create_profile(profile_dir, PASSPHRASE, user_id="u1", kdf=CHEAP_KDF).lock()
    done = _command("storage.restore", "--profile", str(profile_dir), "--passphrase-stdin",
                    piped=f"{PASSPHRASE}\n".encode("utf-16"))
    assert done.returncode == 2, done.stderr
    assert done.stderr.strip() == "Nothing was restored: the piped passphrase is not UTF-8 text."

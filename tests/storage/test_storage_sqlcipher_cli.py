"""The database is a standard SQLCipher 4 file: the `sqlcipher` tool opens it with the data key and only with it."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from storage_support import PASSPHRASE

from storage.profile import Profile, database_path

SQLCIPHER = shutil.which("sqlcipher") or "/usr/bin/sqlcipher"


def _run(database: Path, script: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([SQLCIPHER, str(database)], input=script, capture_output=True, text=True, timeout=30)


@pytest.fixture
def closed(profile: Profile, profile_dir: Path, demo) -> tuple[Path, str]:
    people, cases = demo
    profile.people.save_many(people)
    profile.cases.save_many(cases)
    key_hex = bytes(profile._db.key).hex()
    profile.lock()
    return database_path(profile_dir), key_hex


def test_the_cli_reads_the_file_with_the_raw_data_key(closed: tuple[Path, str]) -> None:
    database, key_hex = closed
    # cipher_page_size: the Debian CLI is SQLCipher 3.4 (1024-byte pages by default); see storage/database.py.
    script = f"PRAGMA key = \"x'{key_hex}'\";\nPRAGMA cipher_page_size = 4096;\nSELECT count(*) FROM cases;\n"
    result = _run(database, script)
    assert result.stdout.strip().splitlines()[-1] == "3", result.stderr


@pytest.mark.parametrize(
    "key_line",
    ["", "PRAGMA key = '{passphrase}';", "PRAGMA key = \"x'{other}'\";"],
    ids=["no key", "passphrase as key", "another raw key"],
)
def test_the_cli_cannot_read_the_file_without_the_data_key(closed: tuple[Path, str], key_line: str) -> None:
    database, key_hex = closed
    other = ("00" if key_hex[:2] != "00" else "11") + key_hex[2:]
    line = key_line.format(passphrase=PASSPHRASE, other=other)
    result = _run(database, f"{line}\nPRAGMA cipher_page_size = 4096;\nSELECT count(*) FROM cases;\n")
    assert "3" not in result.stdout.split()
    assert "not a database" in result.stderr

"""Constants and helpers shared by the storage tests (imported by name: pytest puts this folder on sys.path)."""

from __future__ import annotations

from datetime import date
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any

from storage.kdf import KdfParameters

# Far below OWASP's floor, only so the suite stays fast; production parameters come from kdf.calibrate().
CHEAP_KDF = KdfParameters(memory_kib=256, iterations=1, parallelism=1)
PASSPHRASE = "korrekt häst batteri häftklammer"
OTHER_PASSPHRASE = "ny lång lösenfras för hembesök"
TODAY = date(2026, 11, 23)


def listed_stale(profile: Any, people: list[Any], cases: list[Any]) -> None:
    """``people`` and ``cases`` saved and listed on TODAY: the next day's refresh has every open case to do."""
    profile.people.save_many(people)
    profile.cases.save_many(cases)
    profile.cases.list_summaries(today=TODAY)


def snapshot(directory: Path) -> dict[str, bytes]:
    """Every file under ``directory`` with its bytes."""
    return {str(p.relative_to(directory)): p.read_bytes() for p in sorted(directory.rglob("*")) if p.is_file()}


def flip_byte(path: Path, offset: int) -> None:
    """Invert one byte of a file in place."""
    data = bytearray(path.read_bytes())
    data[offset] ^= 0xFF
    path.write_bytes(bytes(data))


class QuietJsonHandler(BaseHTTPRequestHandler):
    """A stand-in HTTP server's handler: ``answer`` sends a JSON body; nothing is logged."""

    def answer(self, status: int, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_args: object) -> None:
        return


def undo_audit_head_row(profile: Any) -> None:
    """For a test that takes its profile back to an older schema: undo migration 0007 (the audit head and the save
    count back in ``meta``, the head row and its columns gone). Raw, outside the profile's transactions, which would
    write the head row again at their end. Migration 0008 (pulled entries in rows of their own) is undone too:
    the entries folded into their documents, its tables gone; 0009 (the kept lists' table); 0010 (the versions and
    stamps back in the rows of ``cases`` and ``people``); 0011 (the drafts' table); 0012 (the New case dialog's
    draft); 0014 (the cases' decisions in force); and 0015 (the device that wrote a conflict's server side)."""
    profile.sync.fold_pulled_entries()
    with profile._db.reading() as connection:
        connection.execute("BEGIN IMMEDIATE")
        connection.execute("ALTER TABLE conflicts DROP COLUMN server_device_id")
        connection.execute("ALTER TABLE cases DROP COLUMN in_force")
        connection.execute("DROP TABLE new_case_draft")
        connection.execute("DROP TABLE drafts")
        for kind, table in (("case", "cases"), ("person", "people")):
            connection.execute(f"ALTER TABLE {table} ADD COLUMN version INTEGER NOT NULL DEFAULT 0")
            connection.execute(f"ALTER TABLE {table} ADD COLUMN updated_at TEXT NOT NULL DEFAULT ''")
            connection.execute(f"UPDATE {table} SET (version, updated_at) = (SELECT version, updated_at"
                               f" FROM {kind}_versions AS v WHERE v.id = {table}.id)")
            connection.execute(f"DROP TABLE {kind}_versions")
        connection.execute("DROP TABLE kept_list")
        connection.execute("ALTER TABLE cases DROP COLUMN hours")  # and 0016 (each case's decisions with time)
        connection.execute("ALTER TABLE cases DROP COLUMN closing")  # and 0018 (why a closed case was closed)
        for kind in ("case", "person"):
            connection.execute(f"DROP TABLE {kind}_pulled_entries")
        connection.execute(
            "INSERT INTO meta (key, value) SELECT 'audit_head_seq', head_seq FROM audit WHERE head_seq IS NOT NULL"
            " UNION ALL SELECT 'audit_head_hash', hash FROM audit WHERE head_seq IS NOT NULL"
            " UNION ALL SELECT 'save_count', save_count FROM audit WHERE head_seq IS NOT NULL")
        connection.execute("DELETE FROM audit WHERE head_seq IS NOT NULL")
        connection.execute("ALTER TABLE audit DROP COLUMN head_seq")
        connection.execute("ALTER TABLE audit DROP COLUMN save_count")
        connection.execute("COMMIT")

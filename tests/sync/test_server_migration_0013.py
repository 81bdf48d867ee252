"""Migration 0013 (s29-server) on a database whose audit entries a server of the release before stored, their time
only as timestamptz: after it, IT's ``audit-export`` gives each back in the laptop's own format and its chain
verifies, and the admin commands run from then on are recorded with who ran them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta

from sync_support import REPO
from test_server_migrations import database_below

from ibic.audit_chain import GENESIS_HASH, audit_entry_hash
from sync.server.db import connect
from sync.server.pgcluster import PgCluster


def _admin(url: str, *arguments: str) -> subprocess.CompletedProcess[str]:
    variables = {**os.environ, "HEMBESOK_SYNC_DATABASE_URL": url}
    return subprocess.run([sys.executable, "-m", "sync.server.admin", *arguments], cwd=REPO, env=variables,
                          capture_output=True, text=True, timeout=120, check=False)


def test_entries_stored_before_0013_export_as_the_laptop_signed_them(pg_cluster: PgCluster) -> None:
    start = datetime(2026, 6, 1, 8, 0, tzinfo=UTC)
    entries, prev = [], GENESIS_HASH
    for seq in (1, 2, 3):  # the laptop's stamps: isoformat(timespec="microseconds") in UTC, zeros and all
        at = (start + timedelta(seconds=seq, microseconds=(0, 120_000, 7)[seq - 1])).isoformat(timespec="microseconds")
        entry = {"seq": seq, "entry_id": f"e{seq}", "at": at, "user_id": "anna.berg", "device_id": "laptop-old",
                 "action": "view", "case_id": None, "detail": ""}
        digest = audit_entry_hash(prev, **entry)
        entries.append({**entry, "prev_hash": prev, "hash": digest})
        prev = digest
    with database_below(pg_cluster, 13) as url:
        with connect(url) as conn:
            for e in entries:
                conn.execute("INSERT INTO audit_entries (device_id, seq, entry_id, at, user_id, action, case_id,"
                             " detail, prev_hash, hash) VALUES (%(device_id)s, %(seq)s, %(entry_id)s, %(at)s,"
                             " %(user_id)s, %(action)s, %(case_id)s, %(detail)s, %(prev_hash)s, %(hash)s)", e)
            conn.commit()
        done = _admin(url, "audit-export", "laptop-old")  # its start applies 0013
        assert done.returncode == 0, done.stderr
        assert [json.loads(line) for line in done.stdout.splitlines()] == entries
        listed = _admin(url, "list-admin-actions")
        assert [json.loads(line)["command"] for line in listed.stdout.splitlines()] == ["audit-export"]

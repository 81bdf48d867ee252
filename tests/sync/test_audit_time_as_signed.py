"""An audit entry's time comes back from the server as the laptop signed it, and the stored chain verifies (s29-server).

On main ``at`` was kept only as timestamptz: 0001-01-01T00:00:00+14:00 read back as 0001-12-31 10:00 BC (and in
Python not at all: year 0 is out of range), the offset and the digits of every other time were gone, so no stored
entry's hash could be checked against it. Entries go in through ``POST /v1/audit`` and come out through IT's
``python -m sync.server.admin audit-export``, as processes on real PostgreSQL."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import psycopg
import pytest
from sync_support import REPO, Device, Env

from ibic.audit_chain import GENESIS_HASH, audit_entry_hash
from sync.server.dev import DEMO_USER

ODD_TIMES = [
    "0001-01-01T00:00:00+14:00",  # before year 1 in UTC
    "9999-12-31T23:59:59.999999-12:00",  # after 9999 in UTC
    "2024-02-29T23:59:59.000001+01:00",  # a leap day, to the microsecond
    "2026-03-29T02:30:00",  # no offset (and no such time in Stockholm that night)
    "2026-10-25T02:30:00.5Z",  # one fractional digit, Z
    "2026-12-07T02:46:26.120000+00:00",  # the laptop's own format, trailing zeros kept
]


def _entries(device: Device, times: list[str], prev: str = GENESIS_HASH, first: int = 1) -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = []
    for seq, at in enumerate(times, start=first):
        entry = {"seq": seq, "entry_id": f"e{seq}", "at": at, "user_id": device.user_id, "device_id": device.device_id,
                 "action": "view", "case_id": None, "detail": ""}
        prev = audit_entry_hash(prev, **entry)
        entries.append({**entry, "prev_hash": entries[-1]["hash"] if entries else GENESIS_HASH, "hash": prev})
    return entries


def _export(env: Env, device_id: str) -> subprocess.CompletedProcess[str]:
    variables = {**os.environ, "HEMBESOK_SYNC_DATABASE_URL": env.database_url}
    return subprocess.run([sys.executable, "-m", "sync.server.admin", "audit-export", device_id], cwd=REPO,
                          env=variables, capture_output=True, text=True, timeout=120, check=False)


def test_odd_but_legal_times_come_back_as_signed_and_the_chain_verifies(env: Env) -> None:
    device = env.enroll(DEMO_USER, "laptop-a")
    sent = _entries(device, ODD_TIMES)
    answer = device.post("/v1/audit", {"entries": sent})
    assert (answer.status_code, answer.json()["stored_through_seq"]) == (200, len(sent)), answer.text
    assert device.post("/v1/audit", {"entries": sent}).status_code == 200  # a resend is still the same entries
    done = _export(env, device.device_id)
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    assert [json.loads(line) for line in done.stdout.splitlines()] == sent
    # The timestamptz beside it is the same instant, for ordering and queries.
    stored = env.sql("SELECT extract(epoch FROM at) AS epoch FROM audit_entries ORDER BY seq")
    assert [row["epoch"] for row in stored[:3]] == [_epoch(at) for at in ODD_TIMES[:3]]
    with pytest.raises(psycopg.errors.RaiseException, match=r"^audit entries are append-only"):  # its words kept
        env.sql("UPDATE audit_entries SET detail = 'x'")


def _epoch(at: str) -> Decimal:
    """Seconds since 1970 UTC, exactly (a float loses the microseconds of year 9999)."""
    since = datetime.fromisoformat(at) - datetime(1970, 1, 1, tzinfo=UTC)
    return Decimal(since.days * 86400 + since.seconds) + Decimal(since.microseconds) / 1_000_000


def test_an_entry_stored_before_the_text_was_kept_verifies_in_the_laptops_format(env: Env) -> None:
    device = env.enroll(DEMO_USER, "laptop-a")
    old, new = _entries(device, ["2026-06-01T08:00:00.250000+00:00", "2026-06-01T08:00:01+02:00"])
    columns = "device_id, seq, entry_id, at, user_id, action, case_id, detail, prev_hash, hash"
    env.sql(f"INSERT INTO audit_entries ({columns}) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
            tuple(old[key] for key in columns.split(", ")))
    assert device.post("/v1/audit", {"entries": [new]}).status_code == 200
    done = _export(env, device.device_id)
    assert done.returncode == 0, done.stderr
    assert [json.loads(line) for line in done.stdout.splitlines()] == [old, new]


def test_a_stored_entry_that_breaks_the_chain_is_named_and_the_rest_still_exported(env: Env) -> None:
    device = env.enroll(DEMO_USER, "laptop-a")
    first, second, third = _entries(device, ["2026-06-01T08:00:00+00:00", "2026-06-01T09:00:00+00:00",
                                             "2026-06-01T09:30:00+00:00"])
    assert device.post("/v1/audit", {"entries": [first]}).status_code == 200
    # Written past the server (by hand in the database), its time not the one its hash covers.
    columns = "device_id, seq, entry_id, at, at_sent, user_id, action, case_id, detail, prev_hash, hash"
    forged = {**second, "at": "2026-06-01T10:00:00+00:00", "at_sent": "2026-06-01T10:00:00+00:00"}
    for row in (forged, {**third, "at_sent": third["at"]}):
        env.sql(f"INSERT INTO audit_entries ({columns}) VALUES ({', '.join(['%s'] * 11)})",
                tuple(row[key] for key in columns.split(", ")))
    done = _export(env, device.device_id)
    assert done.returncode == 1
    assert done.stderr.strip() == ("error: the stored audit chain does not hold at seq 2: it does not match its hash"
                                   " (changed after it was signed)")
    # The entries after it are the log the municipality follows up too: it stopped at the break on s29-server.
    assert [json.loads(line) for line in done.stdout.splitlines()] == [first, {**second, "at": forged["at"]}, third]


def test_an_entry_stored_before_0013_signed_in_another_format_is_named_as_such(env: Env) -> None:
    device = env.enroll(DEMO_USER, "laptop-a")
    odd, usual = _entries(device, ["2026-06-01T10:00:00+02:00", "2026-06-01T08:00:01.000000+00:00"])
    columns = "device_id, seq, entry_id, at, user_id, action, case_id, detail, prev_hash, hash"
    for row in (odd, usual):  # as a server before 0013 stored them: the instant only
        env.sql(f"INSERT INTO audit_entries ({columns}) VALUES ({', '.join(['%s'] * 10)})",
                tuple(row[key] for key in columns.split(", ")))
    done = _export(env, device.device_id)
    assert done.returncode == 1
    assert done.stderr.splitlines() == [
        "error: the stored audit chain does not hold at seq 1: it does not match its hash with its time written as"
        " the app writes it (2026-06-01T08:00:00.000000+00:00); stored before the server kept the time as sent, it"
        " may have been signed in another format"]
    assert [json.loads(line)["seq"] for line in done.stdout.splitlines()] == [1, 2]

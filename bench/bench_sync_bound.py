"""Sync lower bound of THIS design: the least a server with per-op rows in PostgreSQL and a laptop with per-field
versions in SQLCipher can spend on a push and a pull of 1,000 changed cases, next to quality.md's floor (one
POST/GET of the same bytes stored in one PostgreSQL row).

Why it exists: bench_sync.py measures the real push and pull at 10-28x the floor. This one keeps only what the
design cannot do without, to tell how much of the gap tuning could ever close:
- server (``bench.floor_app``, ``/bound/*``): one statement per request on three tables: op ids seen (duplicates),
  one version row per field (conflicts), the ordered change log (pulls), with a per-op answer. No authorisation,
  documents, validation, hashing, audit, row locks or ordering lock, and one batch of 1,000 where the real protocol
  caps batches at 500;
- laptop (SQLCipher with storage's own pragmas and key settings): push reads the pending ops as stored JSON text
  and records the new versions and its push position in one commit; pull records the op ids (so a repeated page is
  a no-op), stores each value as one row and moves the cursor, in one commit. No documents, no summaries, no
  validation, no conflict detection.
It is not a bound for every conceivable design: a second engineer's review (docs/notes/issue-6-bound-review.md)
got a push to 1.4-1.9x with an event-sourced server holding op ids and field versions in one process's memory,
and a pull to 2.1-2.6x at best.
Every round pairs the floor with the bound on the same bytes, seconds apart. Nothing is asserted.
Run: python3 -m bench.run sync_bound   (or python3 -m bench.bench_sync_bound [cases] [rounds])
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402
import psycopg  # noqa: E402

from bench.floor_app import create_bound_tables  # noqa: E402
from ibic.changes import FieldChange  # noqa: E402
from storage.database import PRAGMAS, connect  # noqa: E402
from sync.server.pgcluster import PgCluster, free_port  # noqa: E402

CASES = 1000
ROUNDS = 7
PATHS_PER_CASE = 34  # what a first pull of the bench's cases holds (bench_sync: 34,000 field changes)
DEVICE, USER = "bound-device", "bound-user"

LAPTOP_TABLES = (
    "CREATE TABLE journal (seq INTEGER PRIMARY KEY, op_id TEXT NOT NULL, record_id TEXT NOT NULL, path TEXT NOT NULL, "
    "op TEXT NOT NULL)",
    "CREATE TABLE versions (record_id TEXT, path TEXT, version INTEGER NOT NULL, PRIMARY KEY (record_id, path)) "
    "WITHOUT ROWID",
    "CREATE TABLE remote_applied (op_id TEXT PRIMARY KEY, seq INTEGER NOT NULL) WITHOUT ROWID",
    "CREATE TABLE fields (record_id TEXT, path TEXT, version INTEGER NOT NULL, value TEXT, "
    "PRIMARY KEY (record_id, path)) WITHOUT ROWID",
    "CREATE TABLE position (name TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID",
)


def _laptop(folder: Path, name: str) -> Any:
    connection = connect(folder / f"{name}.db", bytearray(os.urandom(32)))
    for pragma in PRAGMAS:
        connection.execute(pragma)
    for statement in LAPTOP_TABLES:
        connection.execute(statement)
    connection.execute("INSERT INTO position VALUES ('pushed', 0), ('cursor', 0)")
    return connection


def _seed(url: str, laptop_a: Any, laptop_b: Any, record_ids: list[str]) -> None:
    """Both ends as after a first sync of the cases: 34 field versions a case, 34,000 op ids and log rows."""
    paths = [f"field_{i:02d}" for i in range(PATHS_PER_CASE - 1)] + ["origin_note"]
    rows = [(record_id, path, f"op-{record_id}-{path}") for record_id in record_ids for path in paths]
    with psycopg.connect(url) as conn, conn.cursor() as cursor:
        cursor.executemany("INSERT INTO bound_versions VALUES (%s, %s, 1)", [(r, p) for r, p, _ in rows])
        cursor.executemany("INSERT INTO bound_applied VALUES (%s)", [(op,) for _, _, op in rows])
        cursor.executemany("INSERT INTO bound_log (op_id, record_id, path, version, value) VALUES (%s, %s, %s, 1, "
                           "'\"seed\"')", [(op, r, p) for r, p, op in rows])
        cursor.execute("ANALYZE")
    for laptop in (laptop_a, laptop_b):
        laptop.execute("BEGIN")
        laptop.executemany("INSERT INTO versions VALUES (?, ?, 1)", [(r, p) for r, p, _ in rows])
        laptop.executemany("INSERT INTO remote_applied VALUES (?, 0)", [(op,) for _, _, op in rows])
        laptop.executemany("INSERT INTO fields VALUES (?, ?, 1, '\"seed\"')", [(r, p) for r, p, _ in rows])
        laptop.execute("UPDATE position SET value = ? WHERE name = 'cursor'", (len(rows),))
        laptop.execute("COMMIT")


def _journal_edits(laptop: Any, record_ids: list[str], round_number: int) -> None:
    """The handläggare's edits (not timed): one changed note per case, journaled as the real laptop does."""
    versions = dict(((r, p), v) for r, p, v in laptop.execute(
        "SELECT record_id, path, version FROM versions WHERE path = 'origin_note'"))
    hlc = f"{int(time.time() * 1000):013d}"
    op_ids = [uuid.uuid4().hex for _ in record_ids]
    rows = [(op_ids[index], record_id, "origin_note", FieldChange(
        op_id=op_ids[index], record_type="case", record_id=record_id, path="origin_note", op="set",
        value=f"Ändrad anteckning {round_number}-{index:05d}", base_version=versions[(record_id, "origin_note")],
        hlc=f"{hlc}-{index:04d}-{DEVICE}", device_id=DEVICE, user_id=USER).model_dump_json())
        for index, record_id in enumerate(record_ids)]
    laptop.execute("BEGIN")
    laptop.executemany("INSERT INTO journal (op_id, record_id, path, op) VALUES (?, ?, ?, ?)", rows)
    laptop.execute("COMMIT")


def _push(laptop: Any, client: httpx.Client) -> tuple[float, float, bytes]:
    """Least push: read pending ops, one request, record the answers. Returns laptop s, request s, body."""
    started = time.perf_counter()
    pushed = laptop.execute("SELECT value FROM position WHERE name = 'pushed'").fetchone()[0]
    pending = laptop.execute("SELECT seq, op_id, record_id, path, op FROM journal WHERE seq > ? ORDER BY seq",
                             (pushed,)).fetchall()
    body = ('{"changes":[' + ",".join(row[4] for row in pending) + "]}").encode("utf-8")
    read = time.perf_counter() - started
    started = time.perf_counter()
    answer = client.post("/bound/push", content=body).json()
    request = time.perf_counter() - started
    started = time.perf_counter()
    where = {row[1]: (row[2], row[3]) for row in pending}
    laptop.execute("BEGIN")
    laptop.executemany("UPDATE versions SET version = ? WHERE record_id = ? AND path = ?",
                       [(version, *where[op_id]) for op_id, version in answer])
    laptop.execute("UPDATE position SET value = ? WHERE name = 'pushed'", (pending[-1][0],))
    laptop.execute("COMMIT")
    laptop_seconds = read + time.perf_counter() - started
    if len(answer) != len(pending):  # a bound that skipped work would flatter itself
        raise RuntimeError(f"{len(pending) - len(answer)} of {len(pending)} ops not applied")
    return laptop_seconds, request, body


def _pull(laptop: Any, client: httpx.Client, expected: int) -> tuple[float, float, bytes]:
    """Least pull: one page, op ids recorded, values stored, cursor moved, one commit."""
    cursor = laptop.execute("SELECT value FROM position WHERE name = 'cursor'").fetchone()[0]
    started = time.perf_counter()
    raw = client.post("/bound/pull", json={"cursor": cursor, "limit": expected}).content
    request = time.perf_counter() - started
    started = time.perf_counter()
    page = json.loads(raw)
    laptop.execute("BEGIN")
    fresh = [change for change in page["changes"] if laptop.execute(
        "INSERT OR IGNORE INTO remote_applied VALUES (?, ?)", (change["op_id"], change["seq"])).rowcount]
    laptop.executemany("INSERT INTO fields VALUES (?, ?, ?, ?) ON CONFLICT (record_id, path) DO UPDATE SET "
                       "version = excluded.version, value = excluded.value",
                       [(c["record_id"], c["path"], c["version"], json.dumps(c["value"])) for c in fresh])
    laptop.execute("UPDATE position SET value = ? WHERE name = 'cursor'", (page["next_cursor"],))
    laptop.execute("COMMIT")
    laptop_seconds = time.perf_counter() - started
    if len(fresh) != expected:
        raise RuntimeError(f"pulled {len(fresh)} new changes, expected {expected}")
    return laptop_seconds, request, raw


def _timed(step: Callable[[], Any]) -> float:
    started = time.perf_counter()
    step()
    return time.perf_counter() - started


def _summary(label: str, totals: list[float], floors: list[float], parts: str) -> None:
    ratios = [t / f for t, f in zip(totals, floors, strict=True)]
    total, floor = statistics.median(totals) * 1000, statistics.median(floors) * 1000
    print(f"{label:<26} median {total:6.1f} ms  floor {floor:5.1f} ms  ratio median {statistics.median(ratios):5.2f}x"
          f"  min {min(ratios):5.2f}x  max {max(ratios):5.2f}x"
          f"   ({parts})")


def main(cases: int = CASES, rounds: int = ROUNDS) -> None:
    """Seed both ends, then push and pull ``cases`` changed cases ``rounds`` times, each next to its floor."""
    cluster = PgCluster().start()
    server = None
    try:
        url = cluster.create_database("bench_sync_bound")
        create_bound_tables(url)
        port = free_port()
        server = subprocess.Popen([sys.executable, "-m", "bench.floor_app", url, str(port)], cwd=ROOT,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        client = httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=120)
        _wait(client)
        with tempfile.TemporaryDirectory() as folder:
            laptop_a, laptop_b = _laptop(Path(folder), "a"), _laptop(Path(folder), "b")
            record_ids = [uuid.uuid4().hex for _ in range(cases)]
            _seed(url, laptop_a, laptop_b, record_ids)
            _rounds(client, laptop_a, laptop_b, record_ids, rounds)
            laptop_a.close()
            laptop_b.close()
        client.close()
    finally:
        if server is not None:
            server.terminate()
            server.wait(30)
        cluster.stop()


def _rounds(client: httpx.Client, laptop_a: Any, laptop_b: Any, record_ids: list[str], rounds: int) -> None:
    push: dict[str, list[float]] = {"total": [], "floor": [], "laptop": [], "request": []}
    pull: dict[str, list[float]] = {"total": [], "floor": [], "laptop": [], "request": []}
    size = {"push": 0, "pull": 0}
    for round_number in range(rounds):
        _journal_edits(laptop_a, record_ids, round_number)
        laptop, request, body = _push(laptop_a, client)
        push["floor"].append(_timed(lambda body=body: client.post("/blob", content=body)))
        push["laptop"].append(laptop)
        push["request"].append(request)
        push["total"].append(laptop + request)
        laptop, request, raw = _pull(laptop_b, client, len(record_ids))
        client.post("/blob", content=raw)
        pull["floor"].append(_timed(lambda: client.get("/blob")))
        pull["laptop"].append(laptop)
        pull["request"].append(request)
        pull["total"].append(laptop + request)
        size = {"push": len(body), "pull": len(raw)}
    for name, figures in (("push", push), ("pull", pull)):
        parts = (f"laptop {statistics.median(figures['laptop']) * 1000:.1f} ms + request "
                 f"{statistics.median(figures['request']) * 1000:.1f} ms, {size[name] / 1024:,.0f} KiB")
        _summary(f"least {name} of {len(record_ids)} cases", figures["total"], figures["floor"], parts)


def _wait(client: httpx.Client) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            client.post("/blob", content=b"[]")
            return
        except httpx.TransportError:
            time.sleep(0.1)
    raise RuntimeError("reference server did not start")


if __name__ == "__main__":
    main(*(int(arg) for arg in sys.argv[1:3]))

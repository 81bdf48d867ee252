"""Sync benchmark: push and pull of 1,000 changed cases on loopback vs one raw bulk POST of the same bytes; and
20 devices syncing at once (throughput, p50/p99 latency, errors).

Everything is real: a throwaway PostgreSQL cluster, ``python -m sync.server`` in its own process, laptops with
SQLCipher profiles and the real client. The floor (``bench.floor_app``) is a minimal ASGI endpoint (same uvicorn,
same PostgreSQL) that receives the same bytes in ONE request, parses the JSON and stores it in one row in one
transaction (push floor), or returns the stored bytes in one answer (pull floor). Nothing is asserted. What the
protocol itself costs at the least, next to the same floor: bench_sync_bound.py.
Run: python3 -m bench.run sync   (or python3 -m bench.bench_sync [cases])
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402

from ibic.changes import FieldChange  # noqa: E402
from ibic.demo import bulk_cases  # noqa: E402
from storage.kdf import KdfParameters  # noqa: E402
from storage.profile import Profile, create_profile  # noqa: E402
from sync.client.credentials import CredentialStore  # noqa: E402
from sync.client.enrollment import enroll  # noqa: E402
from sync.client.progress import SyncReport  # noqa: E402
from sync.client.pull import PAGE_SIZE, pull_changes  # noqa: E402
from sync.client.push import push_pending  # noqa: E402
from sync.client.session import Session  # noqa: E402
from sync.client.transport import Transport  # noqa: E402
from sync.protocol import MAX_PUSH_BATCH, PushRequest  # noqa: E402
from sync.server import central  # noqa: E402
from sync.server.db import connect, migrate  # noqa: E402
from sync.server.pgcluster import PgCluster, free_port  # noqa: E402

CASES = 1000
DEVICES = 20
ROUNDS = 10
OPS_PER_PUSH = 10
USER, UNIT = "bench-user", "bench-unit"
PASSPHRASE = "korrekt häst batteri häftklammer"
CHEAP_KDF = KdfParameters(memory_kib=256, iterations=1, parallelism=1)

def _wait_for(url: str) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            httpx.get(url, timeout=1)
            return
        except httpx.TransportError:
            time.sleep(0.1)
    raise RuntimeError("service did not start")


def _start_server(database_url: str) -> tuple[subprocess.Popen[bytes], str, str]:
    port, secret = free_port(), uuid.uuid4().hex
    env = {**os.environ, "HEMBESOK_SYNC_DATABASE_URL": database_url, "HEMBESOK_SYNC_PORT": str(port),
           "HEMBESOK_SYNC_TOKEN_SECRET": secret, "HEMBESOK_SYNC_RATE_BURST": "100000",
           "HEMBESOK_SYNC_RATE_PER_SECOND": "100000", "HEMBESOK_SYNC_ENROLL_BURST": "1000",
           "HEMBESOK_SYNC_LOG_LEVEL": "WARNING",
           "HEMBESOK_SYNC_POOL_SIZE": "16"}
    process = subprocess.Popen([sys.executable, "-m", "sync.server"], cwd=ROOT, env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    _wait_for(f"{base}/health")
    return process, base, secret


def _start_floor(database_url: str) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "bench.floor_app", database_url, str(port)], cwd=ROOT,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    _wait_for(f"{base}/blob")
    return process, base


def _laptop(database_url: str, base: str, folder: Path) -> tuple[Profile, Session]:
    profile = create_profile(folder, PASSPHRASE, user_id=USER, kdf=CHEAP_KDF)
    with connect(database_url) as conn:
        code = central.issue_enrollment_code(conn, USER)
    session = enroll(Transport(base), CredentialStore(profile), code=code, device_id=profile.device_id, user_id=USER)
    return profile, session


def _seconds(step: Any) -> float:
    started = time.perf_counter()
    step()
    return time.perf_counter() - started


def _line(label: str, seconds: float, floor: float, size: int) -> None:
    print(f"{label:<34} {seconds:8.3f} s   floor {floor:7.3f} s   ratio {seconds / floor:6.2f}x   "
          f"({size / 1024:,.0f} KiB)")


def main(cases: int = CASES) -> None:
    """Run all measurements and print the figures."""
    cluster = PgCluster().start()
    server = floor = None
    try:
        url = cluster.create_database("bench_sync")
        migrate(url)
        people, bulk = bulk_cases(cases, date(2026, 11, 23))
        by_id = {p.id: p for p in people}
        with connect(url) as conn:
            central.create_unit(conn, UNIT, "Bench")
            central.create_user(conn, USER, UNIT)
            started = time.perf_counter()
            central.register_cases(conn, [(c.model_dump(mode="json"), by_id[c.person_id].model_dump(mode="json"))
                                          for c in bulk], UNIT, USER)
            print(f"central registration of {cases} cases: {time.perf_counter() - started:.2f} s (setup)")
        server, base, _secret = _start_server(url)
        floor, floor_base = _start_floor(url)
        with tempfile.TemporaryDirectory() as folder:
            _push_and_pull(url, base, floor_base, Path(folder), cases)
        _concurrent(url, base, [c.id for c in bulk])
    finally:
        for process in (server, floor):
            if process is not None:
                process.terminate()
                process.wait(30)
        cluster.stop()


def _push_and_pull(url: str, base: str, floor_base: str, folder: Path, cases: int) -> None:
    a, session_a = _laptop(url, base, folder / "a")
    b, session_b = _laptop(url, base, folder / "b")
    first = SyncReport()
    seconds = _seconds(lambda: pull_changes(session_a, a, first))
    print(f"first pull of {cases} cases ({first.pulled} field changes): {seconds:.2f} s")
    pull_changes(session_b, b, SyncReport())
    for summary in a.cases.list_summaries():
        case = a.cases.load(summary.case_id)
        case.origin_note = f"Ändrad anteckning {summary.case_number}"
        a.cases.save(case)
    pending = a.journal.pending(limit=100_000)
    batches = [pending[i:i + MAX_PUSH_BATCH] for i in range(0, len(pending), MAX_PUSH_BATCH)]
    bodies = [PushRequest(changes=batch).model_dump_json() for batch in batches]
    push_bytes = ("[" + ",".join(bodies) + "]").encode("utf-8")
    push_seconds = _seconds(lambda: push_pending(session_a, a, SyncReport()))
    client = httpx.Client(base_url=floor_base, timeout=120)
    push_floor = min(_seconds(lambda: client.post("/blob", content=push_bytes)) for _ in range(3))
    _line(f"push {len(pending)} changed cases", push_seconds, push_floor, len(push_bytes))

    cursor = b.sync.cursor()
    report = SyncReport()
    pull_seconds = _seconds(lambda: pull_changes(session_b, b, report))
    token = session_b.refresh_token()
    pages: list[bytes] = []
    while True:  # the same pages again, raw, only to know their bytes (not timed)
        answer = httpx.post(f"{base}/v1/pull", json={"cursor": cursor, "limit": PAGE_SIZE},
                            headers={"Authorization": f"Bearer {token}"})
        pages.append(answer.content)
        body = answer.json()
        cursor = body["next_cursor"]
        if not body["has_more"]:
            break
    pull_bytes = b"[" + b",".join(pages) + b"]"
    client.post("/blob", content=pull_bytes)
    pull_floor = min(_seconds(lambda: client.get("/blob")) for _ in range(3))
    _line(f"pull {report.pulled} changed cases", pull_seconds, pull_floor, len(pull_bytes))
    client.close()
    a.lock()
    b.lock()


def _concurrent(url: str, base: str, case_ids: list[str]) -> None:
    with connect(url) as conn:
        codes = [central.issue_enrollment_code(conn, USER) for _ in range(DEVICES)]
        row = conn.execute("SELECT coalesce(max(seq), 0) AS s FROM change_log").fetchone()
        top = int(str(row["s"])) if row else 0
        versions = {str(r["record_id"]): int(str(r["version"])) for r in conn.execute(
            "SELECT record_id, version FROM records WHERE record_type = 'case'").fetchall()}
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    share = len(case_ids) // DEVICES

    def device(index: int) -> None:
        client = httpx.Client(base_url=base, timeout=60)
        device_id = f"bench-device-{index:02d}"
        enrolled = client.post("/v1/enroll", json={"code": codes[index], "device_id": device_id}).json()
        headers = {"Authorization": f"Bearer {enrolled['access_token']}"}
        mine = case_ids[index * share:(index + 1) * share]
        cursor = top
        for round_number in range(ROUNDS):
            changes = [
                FieldChange(op_id=uuid.uuid4().hex, record_type="case", record_id=case_id, path="chosen_provider",
                            op="set", value=f"Utförare {round_number}", base_version=versions[case_id],
                            hlc=f"{int(time.time() * 1000):013d}-0000-{device_id}", device_id=device_id,
                            user_id=USER).model_dump(mode="json")
                for case_id in mine[:OPS_PER_PUSH]
            ]
            for path, body in (("/v1/push", {"changes": changes}), ("/v1/pull", {"cursor": cursor, "limit": 500})):
                started = time.perf_counter()
                answer = client.post(path, json=body, headers=headers)
                elapsed = time.perf_counter() - started
                with lock:
                    latencies.append(elapsed)
                    if answer.status_code != 200:
                        errors.append(f"{path} {answer.status_code}")
                if path == "/v1/pull" and answer.status_code == 200:
                    cursor = answer.json()["next_cursor"]
        client.close()

    threads = [threading.Thread(target=device, args=(i,)) for i in range(DEVICES)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    ordered = sorted(latencies)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    print(f"{DEVICES} devices x {ROUNDS} rounds (push {OPS_PER_PUSH} ops + pull): {len(latencies)} requests in "
          f"{wall:.2f} s = {len(latencies) / wall:.0f} req/s, {DEVICES * ROUNDS * OPS_PER_PUSH / wall:.0f} ops/s; "
          f"latency p50 {statistics.median(ordered) * 1000:.0f} ms, p99 {p99 * 1000:.0f} ms, "
          f"max {ordered[-1] * 1000:.0f} ms; errors {len(errors)}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else CASES)

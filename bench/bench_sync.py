"""Sync benchmark: the goal rows of issue 14 — push and pull of 1,000 changed cases against one raw POST / GET of
the same bytes, and the first sync of a 150-case caseload to a fresh laptop against one second; then 20 devices
syncing at once (throughput, p50/p99 latency, errors; not a goal row).

Everything is real: a throwaway PostgreSQL cluster, ``python -m sync.server`` in its own process, laptops with
SQLCipher profiles and the real client. The floor (``bench.floor_app``) is a minimal ASGI endpoint (same uvicorn,
same PostgreSQL) that receives the same bytes in ONE request, parses the JSON and stores it in one row in one
transaction (push floor), or returns the stored bytes in one answer (pull floor). Each repetition times the app and
its floor on the same bytes seconds apart (the order alternates), and a row's ratio is the median of the
per-repetition ratios (``bench.rows.goal_row``). A repetition: laptop A changes a note in every case (not timed)
and pushes; laptop B pulls those changes; a new laptop enrolled for a second handläggare with 150 cases runs its
first sync (``sync_now``: audit up, push, pull), against the fixed floor of 1,000 ms; then laptop A changes a life
area's own description in every case (inside ``investigation``, a handläggare's usual edit: the server reads,
checks and rewrites that life area's row, migration 0011) and pushes again, its own row. Nothing is asserted. What the
protocol itself costs at the least, next to the same floor: bench_sync_bound.py.
Run: python3 -m bench.run sync   (or python3 -m bench.bench_sync [cases] [repetitions])
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
from collections.abc import Callable
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402

from bench.rows import goal_row  # noqa: E402
from ibic.changes import FieldChange  # noqa: E402
from ibic.demo import bulk_cases  # noqa: E402
from storage.kdf import KdfParameters  # noqa: E402
from storage.profile import Profile, create_profile  # noqa: E402
from sync.client.credentials import CredentialStore  # noqa: E402
from sync.client.engine import sync_now  # noqa: E402
from sync.client.enrollment import enroll  # noqa: E402
from sync.client.pull import PAGE_SIZE, pull_changes  # noqa: E402
from sync.client.push import push_pending  # noqa: E402
from sync.client.session import Session  # noqa: E402
from sync.client.transport import Transport  # noqa: E402
from sync.progress import SyncReport  # noqa: E402
from sync.protocol import MAX_PUSH_BATCH, PushRequest  # noqa: E402
from sync.server import central  # noqa: E402
from sync.server.db import connect, migrate  # noqa: E402
from sync.server.pgcluster import PgCluster, free_port  # noqa: E402

CASES = 1000
CASELOAD = 150  # a handläggare's caseload: the first sync of a fresh laptop brings it whole
REPETITIONS = 7
FIRST_SYNC_FLOOR = 1.0  # seconds: the goal is "under one second on this machine"
DEVICES = 20
ROUNDS = 10
OPS_PER_PUSH = 10
USER, UNIT = "bench-user", "bench-unit"
SMALL_USER = "bench-caseload"
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
           "HEMBESOK_SYNC_ENROLL_PER_MINUTE": "100000", "HEMBESOK_SYNC_LOG_LEVEL": "WARNING",
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


def _laptop(database_url: str, base: str, folder: Path, user: str = USER) -> tuple[Profile, Session]:
    profile = create_profile(folder, PASSPHRASE, user_id=user, kdf=CHEAP_KDF)
    with connect(database_url) as conn:
        code = central.issue_enrollment_code(conn, user)
    session = enroll(Transport(base), CredentialStore(profile), code=code, device_id=profile.device_id, user_id=user)
    return profile, session


def _seconds(step: Callable[[], Any]) -> float:
    started = time.perf_counter()
    step()
    return time.perf_counter() - started


def main(cases: int = CASES, repetitions: int = REPETITIONS) -> None:
    """Run all measurements and print the goal rows and the concurrency figures."""
    cluster = PgCluster().start()
    server = floor = None
    try:
        url = cluster.create_database("bench_sync")
        migrate(url)
        people, bulk = bulk_cases(cases + CASELOAD, date(2026, 11, 23))
        by_id = {p.id: p for p in people}
        pairs = [(c.model_dump(mode="json"), by_id[c.person_id].model_dump(mode="json")) for c in bulk]
        with connect(url) as conn:
            central.create_unit(conn, UNIT, "Bench")
            central.create_user(conn, USER, UNIT)
            central.create_user(conn, SMALL_USER, UNIT)
            started = time.perf_counter()
            central.register_cases(conn, pairs[:cases], UNIT, USER)
            central.register_cases(conn, pairs[cases:], UNIT, SMALL_USER)
            print(f"central registration of {cases + CASELOAD} cases: {time.perf_counter() - started:.2f} s (setup)")
        server, base, _secret = _start_server(url)
        floor, floor_base = _start_floor(url)
        with tempfile.TemporaryDirectory() as folder:
            _goal_rows(url, base, floor_base, Path(folder), repetitions)
        _concurrent(url, base, [c.id for c in bulk[:cases]])
    finally:
        for process in (server, floor):
            if process is not None:
                process.terminate()
                process.wait(30)
        cluster.stop()


def _goal_rows(url: str, base: str, floor_base: str, folder: Path, repetitions: int) -> None:
    a, session_a = _laptop(url, base, folder / "a")
    b, session_b = _laptop(url, base, folder / "b")
    first = SyncReport()
    seconds = _seconds(lambda: pull_changes(session_a, a, first))
    print(f"first pull of {len(a.cases.list_summaries())} cases ({first.pulled} field changes): {seconds:.2f} s "
          "(setup, laptop A)")
    pull_changes(session_b, b, SyncReport())
    client = httpx.Client(base_url=floor_base, timeout=120)
    timed: dict[str, list[float]] = {"push": [], "push floor": [], "pull": [], "pull floor": [], "first": [],
                                     "push ibic": [], "push ibic floor": []}
    sizes: dict[str, int] = {}
    for repetition in range(repetitions):
        floor_first = repetition % 2 == 1  # the order alternates, so drift within a repetition hits both sides
        _edit_every_case(a, repetition)
        push_bytes = _push_body(a)
        _pair(timed, "push", lambda: _seconds(lambda: push_pending(session_a, a, SyncReport())),
              partial(_posted, client, push_bytes), floor_first)
        pull_bytes = _pull_pages_raw(base, session_b, b.sync.cursor())
        client.post("/blob", content=pull_bytes)  # the floor's row now holds exactly the pull's bytes (not timed)
        _pair(timed, "pull", lambda: _seconds(lambda: pull_changes(session_b, b, SyncReport())),
              lambda: _seconds(lambda: client.get("/blob")), floor_first)
        sizes = {"push": len(push_bytes), "pull": len(pull_bytes)}
        timed["first"].append(_first_sync(url, base, folder / f"fresh-{repetition}"))
        _edit_every_assessment(a, repetition)  # the same push with a handläggare's IBIC edit (larger documents)
        ibic_bytes = _push_body(a)
        _pair(timed, "push ibic", lambda: _seconds(lambda: push_pending(session_a, a, SyncReport())),
              partial(_posted, client, ibic_bytes), floor_first)
        pull_changes(session_b, b, SyncReport())  # laptop B stays current for the next repetition (not timed)
        sizes["push ibic"] = len(ibic_bytes)
    client.close()
    a.lock()
    b.lock()
    goal_row(f"sync push of {CASES} changed cases", _ms(timed["push"]), _ms(timed["push floor"]), unit="ms",
             goal=5.0, floor_label="one raw POST of the same bytes",
             note=f"{sizes['push'] / 1024:,.0f} KiB in {-(-CASES // MAX_PUSH_BATCH)} requests")
    goal_row(f"sync push of {CASES} changed cases, an IBIC edit each", _ms(timed["push ibic"]),
             _ms(timed["push ibic floor"]), unit="ms", goal=5.0, floor_label="one raw POST of the same bytes",
             note=f"{sizes['push ibic'] / 1024:,.0f} KiB: a life area's own description in each case")
    goal_row(f"sync pull of {CASES} changed cases", _ms(timed["pull"]), _ms(timed["pull floor"]), unit="ms",
             goal=5.0, floor_label="one raw GET of the same bytes", note=f"{sizes['pull'] / 1024:,.0f} KiB")
    goal_row(f"first sync of a {CASELOAD}-case caseload to a fresh laptop", _ms(timed["first"]),
             [FIRST_SYNC_FLOOR * 1000] * len(timed["first"]), unit="ms", goal=1.0, floor_label="the goal",
             note="sync_now after enrollment: audit up, push, pull, applied and committed")


def _posted(client: httpx.Client, body: bytes) -> float:
    """Seconds for one raw POST of ``body`` to the floor."""
    return _seconds(lambda: client.post("/blob", content=body))


def _ms(seconds: list[float]) -> list[float]:
    return [s * 1000 for s in seconds]


def _pair(timed: dict[str, list[float]], name: str, app: Callable[[], float], floor: Callable[[], float],
          floor_first: bool) -> None:
    if floor_first:
        timed[f"{name} floor"].append(floor())
        timed[name].append(app())
    else:
        timed[name].append(app())
        timed[f"{name} floor"].append(floor())


def _edit_every_case(profile: Profile, repetition: int) -> None:
    """What the handläggare did since the last sync (not timed): a changed note in every case."""
    for summary in profile.cases.list_summaries():
        case = profile.cases.load(summary.case_id)
        case.origin_note = f"Ändrad anteckning {repetition} {summary.case_number}"
        profile.cases.save(case)


def _edit_every_assessment(profile: Profile, repetition: int) -> None:
    """A handläggare's usual edit (not timed): the person's own description of a life area, inside
    ``investigation``, the largest entry of a case's document (stored by life area since s20-ibicstore)."""
    for summary in profile.cases.list_summaries():
        case = profile.cases.load(summary.case_id)
        assessment = case.investigation.ensure_assessment("d4")
        assessment.own_description = f"Egen beskrivning {repetition} {summary.case_number}"
        profile.cases.save(case)


def _push_body(profile: Profile) -> bytes:
    """The bytes the push will send, as one JSON array of its request bodies (not timed)."""
    pending = profile.journal.pending(limit=100_000)
    batches = [pending[i:i + MAX_PUSH_BATCH] for i in range(0, len(pending), MAX_PUSH_BATCH)]
    return ("[" + ",".join(PushRequest(changes=batch).model_dump_json() for batch in batches) + "]").encode("utf-8")


def _pull_pages_raw(base: str, session: Session, cursor: int) -> bytes:
    """The pages a pull from ``cursor`` will receive, fetched raw without applying them (not timed)."""
    token = session.refresh_token()
    pages: list[bytes] = []
    while True:
        answer = httpx.post(f"{base}/v1/pull", json={"cursor": cursor, "limit": PAGE_SIZE},
                            headers={"Authorization": f"Bearer {token}"}, timeout=120)
        pages.append(answer.content)
        body = answer.json()
        cursor = body["next_cursor"]
        if not body["has_more"]:
            return b"[" + b",".join(pages) + b"]"


def _first_sync(url: str, base: str, folder: Path) -> float:
    """A fresh laptop of the 150-case handläggare: enrolled (not timed), then its first sync (timed)."""
    profile, session = _laptop(url, base, folder, SMALL_USER)
    report: list[SyncReport] = []
    seconds = _seconds(lambda: report.append(sync_now(session, profile)))
    if len(profile.cases.list_summaries()) != CASELOAD:  # a first sync that brought less would flatter itself
        raise RuntimeError("the first sync did not bring the whole caseload")
    profile.lock()
    return seconds


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
    main(*(int(arg) for arg in sys.argv[1:3]))

"""Server scale-out benchmark: 200 simulated laptops against ``python -m sync.server`` with 1, 2 and 4 workers.

Everything on 127.0.0.1: a throwaway PostgreSQL cluster, the real server (``workers`` setting, default limits and
pool), and one load process speaking the real protocol over HTTP/1.1 keep-alive (bench/http_keepalive.py on
uvloop: httpx cost the load 3-4 ms of CPU a request, taken from the server on 2 cores). The laptops are
pre-enrolled (device rows with credentials, as after enrollment) and already synced: each fetches its access token
with its credential (setup, not timed), then syncs a bounded number of rounds, each round a push of one field of
each of its cases and a pull from its cursor, as the client does. 200 handläggare in 10 units, 5 cases each.

Two phases per worker count, interleaved repetition by repetition (1, 2, 4, 1, 2, 4, ...):
- paced: each laptop syncs twice, first at a random moment of the first 6 s, again 6-10 s later (about 55
  requests a second offered; real laptops sync every 10 minutes, so this is a morning when all 200 unlock at once,
  squeezed into 15 s): latency p50/p99 and errors as a laptop meets them;
- flood: each laptop syncs its rounds back to back: throughput, the capacity the workers give.
Goal rows: p99 of the paced phase with 4 workers vs 500 ms (goal 1.0), errors over every run (0); throughput
with 4 vs 1 worker is printed. Nothing is asserted.
Run: python3 -m bench.run server_scale   (or python3 -m bench.bench_server_scale [repetitions])
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import statistics
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402
import uvloop  # noqa: E402

from bench.http_keepalive import Answer, ConnectionLost, KeepAliveClient, ProtocolViolation  # noqa: E402
from bench.rows import goal_row  # noqa: E402
from ibic.changes import FieldChange  # noqa: E402
from ibic.demo import bulk_cases  # noqa: E402
from sync.server import central, tokens  # noqa: E402
from sync.server.db import connect, migrate  # noqa: E402
from sync.server.pgcluster import PgCluster, free_port  # noqa: E402

LAPTOPS = 200
UNITS = 10
CASES_EACH = 5
WORKER_COUNTS = (1, 2, 4)
PACED_ROUNDS = 2
PACED_START_SECONDS = 6.0  # laptops start at random moments of this window...
PACED_PAUSE_SECONDS = (6.0, 10.0)  # ...and wait this long between rounds (real ones sync every few minutes)
FLOOD_ROUNDS = 2
REPETITIONS = 2
P99_GOAL_SECONDS = 0.5


@dataclass(frozen=True)
class Laptop:
    device_id: str
    user_id: str
    credential: str
    cases: tuple[tuple[str, int], ...]  # (case id, version the laptop last saw)


@dataclass
class Run:
    """What one phase against one worker count measured; CPU seconds of the server processes, of PostgreSQL's and
    of this load process, so a reader sees which one the two cores went to."""

    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    retries: int = 0
    wall: float = 0.0
    cpu: dict[str, float] = field(default_factory=dict)

    @property
    def throughput(self) -> float:
        return len(self.latencies) / self.wall if self.wall else 0.0

    def percentile(self, share: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(len(ordered) * share))] if ordered else float("nan")


def _seed(url: str) -> tuple[list[Laptop], int]:
    """Units, users, their cases, and one enrolled device each; returns the laptops and the change log's top."""
    people, cases = bulk_cases(LAPTOPS * CASES_EACH, date(2026, 12, 3))
    by_id = {p.id: p for p in people}
    laptops: list[Laptop] = []
    with connect(url) as conn:
        for unit in range(UNITS):
            central.create_unit(conn, f"unit-{unit}", f"Enhet {unit}")
        for index in range(LAPTOPS):
            central.create_user(conn, f"user-{index:03d}", f"unit-{index % UNITS}")
        for unit in range(UNITS):  # one bulk registration per unit (setup time), then each case to its handläggare
            mine = [c for n, c in enumerate(cases) if (n // CASES_EACH) % UNITS == unit]
            central.register_cases(conn, [(c.model_dump(mode="json"), by_id[c.person_id].model_dump(mode="json"))
                                          for c in mine], f"unit-{unit}", None)
        for index in range(LAPTOPS):
            mine = cases[index * CASES_EACH:(index + 1) * CASES_EACH]
            conn.execute("UPDATE case_access SET assigned_user_id = %s WHERE case_id = ANY(%s)",
                         (f"user-{index:03d}", [c.id for c in mine]))
            credential = tokens.new_device_credential()
            conn.execute("INSERT INTO devices (id, user_id, name, credential_hash) VALUES (%s, %s, %s, %s)",
                         (f"laptop-{index:03d}", f"user-{index:03d}", "bench", tokens.secret_hash(credential)))
            laptops.append(Laptop(f"laptop-{index:03d}", f"user-{index:03d}", credential,
                                  tuple((c.id, 0) for c in mine)))
        conn.commit()
        versions = {str(r["record_id"]): int(str(r["version"])) for r in conn.execute(
            "SELECT record_id, version FROM records WHERE record_type = 'case'").fetchall()}
        row = conn.execute("SELECT coalesce(max(seq), 0) AS s FROM change_log").fetchone()
        top = int(str(row["s"])) if row else 0
        conn.commit()
    return [Laptop(lp.device_id, lp.user_id, lp.credential, tuple((c, versions[c]) for c, _ in lp.cases))
            for lp in laptops], top


def _start_server(url: str, secret: str, workers: int) -> tuple[subprocess.Popen[bytes], int]:
    port = free_port()
    env = {**os.environ, "HEMBESOK_SYNC_DATABASE_URL": url, "HEMBESOK_SYNC_PORT": str(port),
           "HEMBESOK_SYNC_TOKEN_SECRET": secret, "HEMBESOK_SYNC_WORKERS": str(workers),
           "HEMBESOK_SYNC_LOG_LEVEL": "WARNING"}
    process = subprocess.Popen([sys.executable, "-m", "sync.server"], cwd=ROOT, env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                return process, port
        except httpx.TransportError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError("server did not start")


def _cpu_seconds(pid: int) -> float:
    """User + system CPU of a process and its live children (uvicorn's workers; PostgreSQL's backends)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    try:
        with open(f"/proc/{pid}/task/{pid}/children", encoding="ascii") as handle:
            children = [int(child) for child in handle.read().split()]
    except OSError:
        return 0.0
    for process in [pid, *children]:
        try:
            with open(f"/proc/{process}/stat", encoding="ascii") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / tick  # utime, stime
    return total


def _cpu_now(pids: dict[str, int]) -> dict[str, float]:
    return {**{name: _cpu_seconds(pid) for name, pid in pids.items()}, "load": time.process_time()}


def _push_bodies(laptop: Laptop, rounds: int, label: str) -> list[bytes]:
    """The pushes of every round, serialised before the clock starts (the load process must not be the limit)."""
    bodies = []
    for round_number in range(rounds):
        changes = [FieldChange(op_id=uuid.uuid4().hex, record_type="case", record_id=case_id,
                               path="chosen_provider", op="set", value=f"Utförare {label} {round_number}",
                               base_version=version, hlc=f"{int(time.time() * 1000):013d}-0000-{laptop.device_id}",
                               device_id=laptop.device_id, user_id=laptop.user_id).model_dump(mode="json")
                   for case_id, version in laptop.cases]
        bodies.append(json.dumps({"changes": changes}).encode())
    return bodies


async def _timed(client: KeepAliveClient, run: Run, path: str, body: bytes, token: str) -> Answer | None:
    """One request as the laptop meets it: a connection the server closed while idle (its keep-alive ran out just
    as the laptop sent) is retried once at once, as the client's Transport does; the time includes the retry."""
    started = time.perf_counter()
    try:
        try:
            answer = await client.post(path, body, token)
        except ConnectionLost:
            run.retries += 1
            answer = await client.post(path, body, token)
    except (OSError, asyncio.IncompleteReadError, ConnectionLost, ProtocolViolation) as exc:
        run.latencies.append(time.perf_counter() - started)
        run.errors.append(f"{path} {type(exc).__name__}")
        return None
    run.latencies.append(time.perf_counter() - started)
    if answer.status != 200:
        run.errors.append(f"{path} {answer.status}")
        return None
    return answer


async def _laptop(client: KeepAliveClient, token: str, pushes: list[bytes], cursor: int, run: Run,
                  pauses: list[float]) -> None:
    for push, pause in zip(pushes, pauses, strict=True):
        await asyncio.sleep(pause)
        await _timed(client, run, "/v1/push", push, token)
        while True:
            answer = await _timed(client, run, "/v1/pull", b'{"cursor":%d,"limit":1000}' % cursor, token)
            if answer is None:
                break
            page = json.loads(answer.body)
            cursor = page["next_cursor"]
            if not page["has_more"]:
                break


async def _drive(port: int, laptops: list[Laptop], cursor: int, label: str, pids: dict[str, int]) -> dict[str, Run]:
    """Token for each laptop (setup), then the paced and the flood phase."""
    rng = random.Random(label)
    clients = [KeepAliveClient("127.0.0.1", port) for _ in laptops]  # a laptop holds one connection
    try:
        answers = await asyncio.gather(*[
            client.post("/v1/token", json.dumps({"device_id": lp.device_id, "device_credential": lp.credential})
                        .encode()) for client, lp in zip(clients, laptops, strict=True)])
        refused = sorted({f"{a.status} {json.loads(a.body).get('error')}" for a in answers if a.status != 200})
        if refused:
            raise RuntimeError(f"token refresh refused: {refused}")
        access = [json.loads(a.body)["access_token"] for a in answers]
        runs: dict[str, Run] = {}
        for phase, rounds in (("paced", PACED_ROUNDS), ("flood", FLOOD_ROUNDS)):
            pushes = [_push_bodies(lp, rounds, f"{label} {phase}") for lp in laptops]
            paced = phase == "paced"
            pauses = [[rng.uniform(0, PACED_START_SECONDS) if paced else 0.0]
                      + [rng.uniform(*PACED_PAUSE_SECONDS) if paced else 0.0 for _ in range(rounds - 1)]
                      for _ in laptops]
            run = Run()
            cpu = _cpu_now(pids)
            started = time.perf_counter()
            await asyncio.gather(*[_laptop(client, token, bodies, cursor, run, waits) for client, token, bodies, waits
                                   in zip(clients, access, pushes, pauses, strict=True)])
            run.wall = time.perf_counter() - started
            run.cpu = {name: used - cpu[name] for name, used in _cpu_now(pids).items()}
            runs[phase] = run
        return runs
    finally:
        await asyncio.gather(*[client.close() for client in clients])


def _report(workers: int, phase: str, run: Run) -> None:
    errors = f" ({', '.join(sorted(set(run.errors))[:3])})" if run.errors else ""
    print(f"{workers} worker(s) {phase:<5}: {len(run.latencies):5d} requests in {run.wall:6.2f} s = "
          f"{run.throughput:6.1f} req/s; p50 {statistics.median(run.latencies) * 1000:6.1f} ms, "
          f"p99 {run.percentile(0.99) * 1000:7.1f} ms, max {max(run.latencies) * 1000:7.1f} ms; "
          f"errors {len(run.errors)}{errors}; retried {run.retries}; CPU ms a request: " + ", ".join(
              f"{name} {seconds / len(run.latencies) * 1000:.1f}" for name, seconds in run.cpu.items()), flush=True)


def main(repetitions: int = REPETITIONS) -> None:
    """Seed once, then each repetition runs 1, 2 and 4 workers; prints the figures and the goal rows."""
    cluster = PgCluster().start()
    try:
        url = cluster.create_database("bench_server_scale")
        migrate(url)
        started = time.perf_counter()
        laptops, cursor = _seed(url)
        print(f"{LAPTOPS} laptops, {LAPTOPS * CASES_EACH} cases in {UNITS} units seeded in "
              f"{time.perf_counter() - started:.1f} s (setup); {os.cpu_count()} CPUs", flush=True)
        secret = uuid.uuid4().hex
        postmaster = int((cluster.data / "postmaster.pid").read_text(encoding="ascii").split()[0])
        results: dict[int, list[dict[str, Run]]] = {workers: [] for workers in WORKER_COUNTS}
        # Started once and left idle between their turns (an idle server costs no CPU): starting four workers on a
        # loaded machine takes longer than a run.
        servers = {workers: _start_server(url, secret, workers) for workers in WORKER_COUNTS}
        try:
            for repetition in range(repetitions):
                for workers, (process, port) in servers.items():
                    pids = {"server": process.pid, "postgres": postmaster}
                    with asyncio.Runner(loop_factory=uvloop.new_event_loop) as runner:
                        runs = runner.run(_drive(port, laptops, cursor, f"{repetition}-{workers}", pids))
                    results[workers].append(runs)
                    for phase, run in runs.items():
                        _report(workers, phase, run)
        finally:
            for process, _port in servers.values():
                process.terminate()
                process.wait(60)
        _goal_rows(results)
    finally:
        cluster.stop()


def _goal_rows(results: dict[int, list[dict[str, Run]]]) -> None:
    most, one = max(WORKER_COUNTS), min(WORKER_COUNTS)
    p99s = [runs["paced"].percentile(0.99) * 1000 for runs in results[most]]
    goal_row(f"server scale-out: p99 latency, {LAPTOPS} laptops, {most} workers (paced)", p99s,
             [P99_GOAL_SECONDS * 1000] * len(p99s), unit="ms", goal=1.0, floor_label="goal")
    errors = [float(sum(len(results[w][rep][phase].errors) for w in WORKER_COUNTS for phase in ("paced", "flood")))
              for rep in range(len(results[most]))]
    goal_row(f"server scale-out: failed requests, {LAPTOPS} laptops, 1/2/4 workers", errors, [1.0] * len(errors),
             unit="requests", goal=0.0, floor_label="one failed request")
    for workers in WORKER_COUNTS:
        figures = [runs["flood"].throughput for runs in results[workers]]
        print(f"flood throughput with {workers} worker(s): median {statistics.median(figures):.1f} req/s "
              f"({', '.join(f'{f:.1f}' for f in figures)})")
    ratios = [four["flood"].throughput / single["flood"].throughput
              for four, single in zip(results[most], results[one], strict=True)]
    print(f"throughput {most} vs {one} worker: {statistics.median(ratios):.2f}x "
          f"(per repetition {', '.join(f'{r:.2f}' for r in ratios)})", flush=True)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else REPETITIONS)

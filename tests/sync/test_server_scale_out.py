"""Several server processes on one PostgreSQL database serve the same laptops: a laptop moved between them
mid-sync loses nothing and applies nothing twice, and the request limits hold across the processes."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from fault_proxy import Fault, FaultProxy
from sync_support import (
    REPO,
    Device,
    Env,
    ProcessServer,
    assert_exactly_once_and_converged,
    assigned_cases,
    edit_all_cases,
    make_laptop,
    new_config,
    version_of,
)
from test_server_cli import wait_for_health

from sync.server.dev import DEMO_USER, seed_demo
from sync.server.pgcluster import free_port


@dataclasses.dataclass
class Pair:
    """Two server processes (``python -m sync.server``) on one database, same configuration, two ports."""

    env: Env
    a: ProcessServer
    b: ProcessServer

    def url(self, server: ProcessServer) -> str:
        return f"http://127.0.0.1:{server.config.port}"


def _start_pair(database_url: str, **limits: object) -> Pair:
    codes = seed_demo(database_url)
    config = new_config(database_url, **limits)
    a = ProcessServer(config).start()
    b = ProcessServer(dataclasses.replace(config, port=free_port())).start()
    return Pair(Env(database_url, config, codes, base_url=f"http://127.0.0.1:{config.port}", servers=[a, b]), a, b)


@pytest.fixture()
def pair(database_url: str) -> Iterator[Pair]:
    started = _start_pair(database_url)
    try:
        yield started
    finally:
        started.a.stop()
        started.b.stop()


def test_a_laptop_moved_between_two_server_processes_mid_sync_loses_nothing_and_applies_nothing_twice(
        pair: Pair, tmp_path: Path) -> None:
    # The laptop reaches "the server" through one address (the proxy, standing in for a load balancer); each cut
    # moves it to the other process, so the request cut on one is retried on the other.
    proxy = FaultProxy(pair.a.config.port).start()
    try:
        a = make_laptop(pair.env, tmp_path / "a", DEMO_USER, base_url=f"http://127.0.0.1:{proxy.port}")
        b = make_laptop(pair.env, tmp_path / "b", DEMO_USER, base_url=pair.url(pair.b))
        a.sync()
        b.sync()
        expected = edit_all_cases(a, "origin_note", "A0")
        edit_all_cases(b, "chosen_provider", "B0")
        b.sync()
        proxy.arm(Fault())
        a.sync()  # one clean round measures the conversation's bytes each way
        total_up, total_down = proxy.counted["up"], proxy.counted["down"]
        ports = [pair.a.config.port, pair.b.config.port]
        moves: list[int] = []

        def move() -> None:
            proxy.target_port = ports[1] if proxy.target_port == ports[0] else ports[0]
            moves.append(proxy.target_port)

        offsets = [("up", total_up * k // 5) for k in range(1, 5)] + [("down", total_down * k // 7) for k in range(7)]
        for round_number, (direction, offset) in enumerate(offsets, start=1):
            expected |= edit_all_cases(a, "origin_note", f"A{round_number}")
            edit_all_cases(b, "chosen_provider", f"B{round_number}")
            b.sync()  # the other laptop's edits go in through the other process...
            proxy.arm(Fault(direction, offset, on_cut=move))  # type: ignore[arg-type]
            a.sync()  # ...and come out wherever this laptop happens to be
        assert proxy.cuts == len(offsets) and set(moves) == set(ports)
        b.sync()
        assert_exactly_once_and_converged(pair.env, a.profile.device_id, expected, a, b)
    finally:
        proxy.stop()


def test_a_push_to_one_process_is_pulled_from_the_other_and_its_replay_there_is_a_duplicate(pair: Pair) -> None:
    device = pair.env.enroll(DEMO_USER, "laptop-moving")
    device.base_url = pair.url(pair.a)
    case_id = assigned_cases(pair.env, DEMO_USER)[0]["case_id"]
    base = version_of(pair.env, "case", case_id)
    changes = [device.change(case_id, "origin_note", "via A", base),
               device.change(case_id, "chosen_provider", "Omsorg AB ÅÄÖ \u2028", base)]
    pushed = device.push(changes)
    assert pushed.status_code == 200, pushed.text
    assert [r["status"] for r in pushed.json()["results"]] == ["applied", "applied"]
    logged = len(pair.env.sql("SELECT seq FROM change_log"))

    device.base_url = pair.url(pair.b)  # the token issued by A is good at B: one secret, no session in memory
    pulled, cursor = device.pull_all()
    mine = [c for c in pulled if c["op_id"] in {ch.op_id for ch in changes}]
    assert sorted(c["path"] for c in mine) == ["chosen_provider", "origin_note"]
    replayed = device.push(changes)
    assert replayed.status_code == 200, replayed.text
    assert [r["status"] for r in replayed.json()["results"]] == ["duplicate", "duplicate"]
    assert [r["new_version"] for r in replayed.json()["results"]] == \
        [r["new_version"] for r in pushed.json()["results"]]
    assert len(pair.env.sql("SELECT seq FROM change_log")) == logged
    assert device.pull_all(cursor)[0] == []
    assert device.record("case", case_id)["document"]["chosen_provider"] == "Omsorg AB ÅÄÖ \u2028"


def test_the_same_push_sent_to_both_processes_at_once_is_applied_once(pair: Pair) -> None:
    # A laptop that gave up waiting on one process and retried on the other while the first was still working.
    device = pair.env.enroll(DEMO_USER, "laptop-impatient")
    cases = [row["case_id"] for row in assigned_cases(pair.env, DEMO_USER)][:4]
    clients = [httpx.Client(base_url=pair.url(server), timeout=60) for server in (pair.a, pair.b)]
    try:
        for attempt in range(8):
            bases = {case_id: version_of(pair.env, "case", case_id) for case_id in cases}
            changes = [device.change(case_id, field, f"försök {attempt} \u00e5", bases[case_id])
                       for case_id in cases for field in ("origin_note", "chosen_provider")]
            body = {"changes": [c.model_dump(mode="json") for c in changes], "closing": False}
            answers = _at_once(clients, "/v1/push", body, device.headers())
            assert [a.status_code for a in answers] == [200, 200], [a.text for a in answers]
            first, second = ([r for r in a.json()["results"]] for a in answers)
            for one, other in zip(first, second, strict=True):
                assert sorted((one["status"], other["status"])) == ["applied", "duplicate"]
                assert one["new_version"] == other["new_version"]
        rows = pair.env.sql("SELECT op_id, count(*) AS n FROM change_log WHERE device_id = %s GROUP BY op_id",
                            (device.device_id,))
        assert len(rows) == 8 * len(cases) * 2 and all(r["n"] == 1 for r in rows)
    finally:
        for client in clients:
            client.close()


def _at_once(clients: list[httpx.Client], path: str, body: dict[str, object],
             headers: dict[str, str]) -> list[httpx.Response]:
    """The same request from each client, released together."""
    start = threading.Barrier(len(clients))

    def send(client: httpx.Client) -> httpx.Response:
        start.wait(timeout=30)
        return client.post(path, json=body, headers=headers)

    with ThreadPoolExecutor(max_workers=len(clients)) as pool:
        return list(pool.map(send, clients))


def _status(server: str, path: str, body: dict[str, object], token: str = "") -> int:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return httpx.post(f"{server}{path}", json=body, headers=headers, timeout=30).status_code


def test_the_device_rate_limit_holds_across_both_processes(database_url: str) -> None:
    pair = _start_pair(database_url, rate_burst=4, rate_per_second=0.01)
    try:
        device: Device = pair.env.enroll(DEMO_USER, "laptop-busy")
        servers = [pair.url(pair.a), pair.url(pair.b)] * 3
        answers = [_status(server, "/v1/pull", {"cursor": 0}, device.token) for server in servers]
        # Four requests in all, wherever they went; each process alone would have allowed four.
        assert answers == [200, 200, 200, 200, 429, 429]
        # Twelve requests at the same moment, six at each process: still four, never a token given twice.
        crowd = pair.env.enroll(DEMO_USER, "laptop-crowd")
        clients = [httpx.Client(base_url=server, timeout=60) for server in servers * 2]
        try:
            statuses = [a.status_code for a in _at_once(clients, "/v1/pull", {"cursor": 0}, crowd.headers())]
        finally:
            for client in clients:
                client.close()
        assert sorted(statuses) == [200] * 4 + [429] * 8
    finally:
        pair.a.stop()
        pair.b.stop()


def test_the_enrollment_attempt_limit_holds_across_both_processes_and_spends_nothing(database_url: str) -> None:
    pair = _start_pair(database_url, enroll_burst=3, enroll_per_minute=0.01)
    try:
        servers = [pair.url(pair.a), pair.url(pair.b)]
        guesses = [_status(servers[n % 2], "/v1/enroll", {"code": f"GUESS-{n:04d}-XXXX", "device_id": f"d{n}"})
                   for n in range(5)]
        assert guesses == [401, 401, 401, 429, 429]
        # A wrong device credential is charged to the same bucket, at either process.
        assert _status(servers[1], "/v1/token", {"device_id": "d1", "device_credential": "x" * 43}) == 429
        right = _status(servers[1], "/v1/enroll", {"code": pair.env.codes[DEMO_USER], "device_id": "laptop-a"})
        assert right == 429
        assert pair.env.sql("SELECT count(*) AS n FROM enrollment_codes WHERE used_at IS NOT NULL")[0]["n"] == 0
        assert pair.env.sql("SELECT count(*) AS n FROM devices")[0]["n"] == 0
    finally:
        pair.a.stop()
        pair.b.stop()


def _children(pid: int) -> list[int]:
    with open(f"/proc/{pid}/task/{pid}/children", encoding="ascii") as handle:
        return [int(child) for child in handle.read().split()]


def test_workers_setting_serves_one_address_from_several_processes(database_url: str, tmp_path: Path) -> None:
    codes = seed_demo(database_url)
    config = new_config(database_url, workers=2, pool_size=2, enroll_burst=2, enroll_per_minute=0.01)
    server = ProcessServer(config).start()
    try:
        assert server.process is not None
        workers = [pid for pid in _children(server.process.pid) if _is_server_worker(pid)]
        assert len(workers) == 2
        env = Env(database_url, config, codes, base_url=f"http://127.0.0.1:{config.port}", servers=[server])
        laptop = make_laptop(env, tmp_path / "a", DEMO_USER)  # the first enrollment attempt from this address
        report = laptop.sync()
        assert laptop.profile.cases.count() == len(assigned_cases(env, DEMO_USER)) and report is not None
        # Fresh connections are spread over the workers by the kernel; the address's bucket is one.
        guesses = [_status(env.base_url, "/v1/enroll", {"code": f"GUESS-{n:04d}-XXXX", "device_id": f"g{n}"})
                   for n in range(4)]
        assert guesses == [401, 429, 429, 429]
    finally:
        server.stop()


def _is_server_worker(pid: int) -> bool:
    """A uvicorn worker is a multiprocessing child; the resource tracker helper is one too, but runs no server."""
    with open(f"/proc/{pid}/cmdline", "rb") as handle:
        command = handle.read().replace(b"\0", b" ")
    return b"multiprocessing" in command and b"resource_tracker" not in command and os.path.exists(f"/proc/{pid}")


def test_workers_started_from_a_configuration_file_read_the_same_file(database_url: str, tmp_path: Path) -> None:
    # As IT runs it: only --config, no HEMBESOK_SYNC_* variable; the worker processes must find the same settings.
    port = free_port()
    path = tmp_path / "sync.toml"
    path.write_text(f'[server]\ndatabase_url = "{database_url}"\ntoken_secret = "{"e" * 64}"\nport = {port}\n'
                    'workers = 2\nlog_level = "WARNING"\n', encoding="utf-8")
    env = {key: value for key, value in os.environ.items() if not key.startswith("HEMBESOK_SYNC_")}
    process = subprocess.Popen([sys.executable, "-m", "sync.server", "--config", str(path)], cwd=REPO, env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        answer = wait_for_health(f"http://127.0.0.1:{port}/health", 120, process)
        assert answer["status"] == "ok" and answer["database"] is True
        assert len([pid for pid in _children(process.pid) if _is_server_worker(pid)]) == 2
    finally:
        process.terminate()
        _, errors = process.communicate(timeout=30)
    assert b"Traceback" not in errors

